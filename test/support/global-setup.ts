import type { TestProject } from 'vitest/node';
import { startRedis, type TestRedis } from './redis-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A Redis for tests: TEST_REDIS_URL or REDIS_URL when given (tests use their own key prefixes), else a redis-server started for this run. */
    redisUrl: string;
  }
}

let redis: TestRedis | null = null;

export async function setup(project: TestProject): Promise<void> {
  const given = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL;
  if (given) {
    project.provide('redisUrl', given);
    return;
  }
  redis = await startRedis();
  project.provide('redisUrl', redis.url);
}

export async function teardown(): Promise<void> {
  await redis?.close();
  redis = null;
}

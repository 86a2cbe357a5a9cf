import { Redis } from 'ioredis';
import { inject } from 'vitest';

/** Deletes every key a test wrote under its own queue prefix in the shared test Redis. */
export async function dropKeys(prefix: string): Promise<void> {
  const cleaner = new Redis(inject('redisUrl'));
  const keys = await cleaner.keys(`${prefix}:*`);
  if (keys.length) await cleaner.del(...keys);
  await cleaner.quit();
}

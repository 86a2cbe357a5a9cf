import { readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

interface LockedPackage {
  version?: string;
  dev?: boolean;
  optional?: boolean;
  engines?: { node?: string } | string[];
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}
interface Manifest {
  engines: { node: string };
  bin: Record<string, string>;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as Manifest;
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as {
  packages: Record<string, LockedPackage>;
};

/** Runtime packages of the lockfile whose `engines.node` the range `ours` does not fit inside. */
function enginesOutside(ours: string, packages: Record<string, LockedPackage>): string[] {
  return Object.entries(packages).flatMap(([path, p]) => {
    const theirs = !Array.isArray(p.engines) ? p.engines?.node : undefined;
    if (path === '' || p.dev || !theirs) return [];
    return semver.subset(ours, theirs)
      ? []
      : [`${path.replace(/^.*node_modules\//, '')} needs node ${theirs}`];
  });
}

describe('package.json', () => {
  it('asks for a Node.js that every locked runtime dependency supports', () => {
    expect(enginesOutside(pkg.engines.node, lock.packages)).toEqual([]);
  });

  it('would notice a dependency that needs a newer Node.js than engines says', () => {
    const packages = { 'node_modules/undici': { version: '7.0.0', engines: { node: '>=20.18.1' } } };
    expect(enginesOutside('>=20.12', packages)).toEqual(['undici needs node >=20.18.1']);
    expect(enginesOutside('>=20.18.1', packages)).toEqual([]);
  });

  it('matches its lockfile, so that npm ci installs exactly what is locked', () => {
    const root = lock.packages[''];
    expect(root?.dependencies).toEqual(pkg.dependencies);
    expect(root?.devDependencies).toEqual(pkg.devDependencies);
    for (const [name, range] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) {
      const locked = lock.packages[`node_modules/${name}`]?.version;
      expect(locked && semver.satisfies(locked, range), `${name}@${range} locked at ${locked}`).toBe(true);
    }
  });

  it('starts the compiled JavaScript with plain node, not a TypeScript loader', () => {
    expect(pkg.scripts.start).toBe('node dist/main.js');
    expect(pkg.scripts.doctor).toBe('node dist/main.js doctor');
    expect(pkg.bin['ganeti-chatops']).toBe('dist/main.js');
    expect(Object.keys(pkg.dependencies)).not.toContain('tsx');
  });
});

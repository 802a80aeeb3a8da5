import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// npm ci refuses a lockfile that lacks an optional platform package ("Missing: @nx/nx-darwin-arm64@ from
// lock file"); the registry reachable here serves only linux-x64 binaries, so `npm install` leaves them out.
describe('package-lock.json', () => {
  it('has an entry for every optional dependency of every locked package (run npm run lockfile:complete)', () => {
    const lock = JSON.parse(readFileSync(new URL('../../package-lock.json', import.meta.url), 'utf8'));
    const missing: string[] = [];
    for (const [path, entry] of Object.entries<{ optionalDependencies?: Record<string, string> }>(lock.packages)) {
      for (const name of Object.keys(entry.optionalDependencies ?? {})) {
        if (!lock.packages[`node_modules/${name}`] && !lock.packages[`${path}/node_modules/${name}`]) missing.push(`${name} (of ${path || 'root'})`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('pins every direct dependency to an exact version (npm itself runs on Node 20 here)', () => {
    const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    const ranges = Object.entries<string>({ ...manifest.dependencies, ...manifest.devDependencies }).filter(([, version]) => !/^\d/.test(version));
    expect(ranges).toEqual([]);
  });
});

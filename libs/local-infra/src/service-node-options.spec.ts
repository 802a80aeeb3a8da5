import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COMPILE_CACHE_DIR, SERVICE_ENV_DEFAULTS, SERVICE_NODE_FLAGS, SERVICE_YOUNG_GENERATION_MB, youngGenerationMbOf } from './service-node-options.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
// `ENV NAME=value` or `ENV NAME="several words"`: the value without its quotes.
const imageEnv = (name: string) => {
  const match = new RegExp(`^ENV ${name}=("[^"]*"|\\S+)\\s*$`, 'm').exec(readFileSync(path.join(root, 'Dockerfile'), 'utf8'))?.[1];
  return match?.replace(/^"(.*)"$/, '$1');
};

describe('the flags and compile cache of service processes', () => {
  it('the image runs every process with the same V8 flags as npm start', () => {
    expect(imageEnv('NODE_OPTIONS')).toBe(SERVICE_NODE_FLAGS.join(' '));
  });

  it('the image sets the same environment defaults as npm start', () => {
    for (const [name, value] of Object.entries(SERVICE_ENV_DEFAULTS).filter(([name]) => name !== 'NODE_COMPILE_CACHE')) expect(imageEnv(name)).toBe(value);
  });

  it('the image reads its compile cache from the same place, relative to its WORKDIR (the repository root)', () => {
    const relative = imageEnv('NODE_COMPILE_CACHE');
    expect(relative).toBeDefined();
    expect(path.resolve(root, relative!)).toBe(COMPILE_CACHE_DIR);
  });

  it('a service thread gets the young generation the semi-space flag gives a process: three semi-spaces', () => {
    expect(SERVICE_YOUNG_GENERATION_MB).toBe(6);
    expect(youngGenerationMbOf(['--expose-gc', '--max-semi-space-size=16'])).toBe(48);
    expect(youngGenerationMbOf(['--expose-gc'])).toBeUndefined();
  });
});

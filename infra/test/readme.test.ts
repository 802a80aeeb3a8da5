import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROCESSES } from '../src/service-registry.ts';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('documents every environment variable a process reads', () => {
    const names = new Set(PROCESSES.flatMap((process) => Object.keys(process.settings)));
    const undocumented = [...names].filter((name) => !readme.includes(`\`${name}\``));
    expect(undocumented).toEqual([]);
  });

  it('gives the two commands and names every service', () => {
    for (const text of ['npm ci', 'npm start', 'npm test', ...PROCESSES.map((process) => process.name)]) expect(readme).toContain(text);
  });
});

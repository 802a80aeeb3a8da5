import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = promisify(execFile);
const MIGRATE = fileURLToPath(new URL('../src/migrate-command.ts', import.meta.url));

it('the production migrate step refuses to run without DATABASE_URL: one line naming it, exit 78, never the local default', async () => {
  const outcome = await run(process.execPath, [MIGRATE], { env: { PATH: process.env.PATH, NODE_ENV: 'production' } }).then(
    () => ({ code: 0, stderr: '' }),
    (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
  );
  expect(outcome.code).toBe(78);
  const lines = outcome.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^migrate failed to start: invalid configuration: DATABASE_URL is required when NODE_ENV=production/);
});

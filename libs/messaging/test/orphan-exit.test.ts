import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { isProcessAlive as isAlive } from '@agentmarket/testing';
import { SUPERVISOR_PID_ENV } from '../src/shutdown.ts';

const shutdownModule = fileURLToPath(new URL('../src/shutdown.ts', import.meta.url));

/**
 * A supervisor that starts a "service" watching for its parent's end, prints
 * the service's pid, and then waits to be killed. The service is started the
 * way libs/local-infra starts them: with the supervisor's pid in its environment.
 */
const supervisorScript = `
  import { spawn } from 'node:child_process';
  const code = 'import { exitWhenOrphaned } from ' + JSON.stringify(${JSON.stringify(shutdownModule)}) + '; exitWhenOrphaned(); setInterval(() => {}, 1000);';
  const service = spawn(process.execPath, ['--input-type=module', '-e', code], {
    stdio: 'ignore',
    env: { ...process.env, ${SUPERVISOR_PID_ENV}: String(process.pid) },
  });
  console.log(service.pid);
  setInterval(() => {}, 1000);
`;

describe('a service whose supervisor is SIGKILLed', () => {
  it('exits by itself instead of living on as an orphan, even when the kill comes before it has started', async () => {
    const supervisor = spawn(process.execPath, ['--input-type=module', '-e', supervisorScript], { stdio: ['ignore', 'pipe', 'inherit'] });
    const servicePid = await new Promise<number>((resolve) => supervisor.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))));
    expect(isAlive(servicePid)).toBe(true);
    supervisor.kill('SIGKILL');
    await vi.waitFor(() => expect(isAlive(servicePid)).toBe(false), { timeout: 10_000, interval: 100 });
  });
});

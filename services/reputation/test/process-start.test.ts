import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '@agentmarket/config';
import { startServiceUnderTest, type ServiceUnderTest } from '@agentmarket/testing';
import { reputationSettings } from '../src/config.ts';
import { createReputationModule } from '../src/reputation.module.ts';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

// The in-process service only prepares what `npm start` expects (a migrated schema, a bus); the process under test is main.ts itself.
let infrastructure: ServiceUnderTest;

beforeAll(async () => {
  infrastructure = await startServiceUnderTest(createReputationModule(loadSettings(reputationSettings, {})), reputationSettings);
});
afterAll(async () => infrastructure?.stop());

/** Resolves with the ops port of the process's ready line, or rejects with what it wrote if it exits first. */
function readyOpsPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"ops_port":(\d+).*reputation ready/.exec(output);
      if (match) resolve(Number(match[1]));
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.on('exit', (code) => reject(new Error(`reputation exited with ${code} before it was ready: ${output}`)));
  });
}

describe('the reputation process', () => {
  it('starts from main.ts with its settings from the environment, answers /readyz, and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [MAIN], {
      env: {
        ...process.env,
        DATABASE_URL: infrastructure.databaseUrl,
        NATS_URL: infrastructure.natsUrl,
        OPS_PORT: '0',
        LOG_LEVEL: 'info',
        INSTANCE_ID: 'reputation-process-test',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      const opsPort = await readyOpsPort(child);
      const readiness = await fetch(`http://127.0.0.1:${opsPort}/readyz`);
      expect(readiness.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('exits with the configuration exit code, naming the setting, when a setting is invalid', async () => {
    const child = spawn(process.execPath, [MAIN], {
      env: { ...process.env, DATABASE_URL: infrastructure.databaseUrl, NATS_URL: infrastructure.natsUrl, REPUTATION_HALF_LIFE_DAYS: 'soon' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exitCode = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(exitCode).toBe(78);
    expect(stderr).toContain('reputation failed to start: invalid configuration: REPUTATION_HALF_LIFE_DAYS');
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNatsServer } from '../src/index.ts';
import { canConnectTcp, sleep } from '../src/tcp-probe.ts';

async function waitForReachable(port: number, expected: boolean): Promise<boolean> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if ((await canConnectTcp(port)) === expected) return true;
    await sleep(50);
  }
  return false;
}

describe('startNatsServer', () => {
  let storeDir: string;
  beforeAll(async () => {
    storeDir = await mkdtemp(path.join(os.tmpdir(), 'local-infra-nats-'));
  });
  afterAll(async () => {
    await rm(storeDir, { recursive: true, force: true });
  });

  it('starts, survives kill() + restart() on the same port, and stops', async () => {
    const nats = await startNatsServer({ port: 0, storeDir });
    try {
      expect(nats.url).toBe(`nats://127.0.0.1:${nats.port}`);
      expect(await canConnectTcp(nats.port)).toBe(true);
      const firstPid = nats.pid;

      nats.kill();
      expect(await waitForReachable(nats.port, false)).toBe(true);

      await nats.restart();
      expect(nats.pid).not.toBe(firstPid);
      expect(await canConnectTcp(nats.port)).toBe(true);
    } finally {
      await nats.stop();
    }
    expect(await canConnectTcp(nats.port)).toBe(false);
  });

  it('explains how to install nats-server when the binary is missing', async () => {
    await expect(startNatsServer({ storeDir, binary: '/nonexistent/nats-server' })).rejects.toThrow(
      'apt-get install nats-server',
    );
  });
});

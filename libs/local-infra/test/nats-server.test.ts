import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNatsServer } from '../src/index.ts';
import { canConnectTcp } from '../src/tcp-probe.ts';

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
      await expect.poll(() => canConnectTcp(nats.port), { timeout: 5_000, interval: 50 }).toBe(false);

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

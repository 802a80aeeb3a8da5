import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { findFreePort } from '../src/index.ts';

describe('findFreePort', () => {
  let blocker: net.Server | undefined;
  afterEach(() => blocker?.close());

  it('returns the preferred port when it is free', async () => {
    const free = await findFreePort();
    expect(await findFreePort(free)).toBe(free);
  });

  it('returns another port when the preferred one is taken', async () => {
    blocker = net.createServer();
    await new Promise<void>((resolve) => blocker?.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    if (typeof address !== 'object' || address === null) throw new Error('no address');
    const port = await findFreePort(address.port);
    expect(port).not.toBe(address.port);
    expect(port).toBeGreaterThan(0);
  });
});

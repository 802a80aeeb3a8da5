import net from 'node:net';

/**
 * Returns `preferred` if it can be bound on `host` right now, otherwise a port the OS picks.
 * The port is released before returning, so a racing process could still grab it; callers that
 * need certainty must handle EADDRINUSE themselves.
 */
export async function findFreePort(preferred?: number, host = '127.0.0.1'): Promise<number> {
  if (preferred !== undefined && preferred > 0) {
    const bound = await tryBind(preferred, host);
    if (bound !== undefined) return bound;
  }
  const assigned = await tryBind(0, host);
  if (assigned === undefined) throw new Error(`Could not bind any port on ${host}`);
  return assigned;
}

function tryBind(port: number, host: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(undefined));
    // exclusive: avoid sharing a handle with cluster workers, which would make a taken port look free
    server.listen({ port, host, exclusive: true }, () => {
      const address = server.address();
      const actual = typeof address === 'object' && address !== null ? address.port : undefined;
      server.close(() => resolve(actual));
    });
  });
}

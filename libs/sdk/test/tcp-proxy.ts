import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A real TCP proxy in front of the gateway, so a test can cut every
 * connection through it at a moment of its choosing — as a network drop
 * would — while new connections keep working.
 */
export class TcpProxy {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  /** Connections accepted so far (each reconnect of a client is one more). */
  connections = 0;

  private constructor(server: Server) {
    this.server = server;
  }

  static async start(target: URL): Promise<TcpProxy> {
    const proxy = new TcpProxy(
      createServer((downstream) => {
        proxy.connections++;
        const upstream = connect(Number(target.port), target.hostname);
        for (const socket of [downstream, upstream]) {
          proxy.sockets.add(socket);
          socket.on('close', () => proxy.sockets.delete(socket));
          socket.on('error', () => {});
        }
        downstream.pipe(upstream).pipe(downstream);
        downstream.on('close', () => upstream.destroy());
        upstream.on('close', () => downstream.destroy());
      }),
    );
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Drops every open connection, both ways, mid-stream. */
  cut(): number {
    const open = this.sockets.size;
    for (const socket of this.sockets) socket.destroy();
    return open;
  }

  async stop(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

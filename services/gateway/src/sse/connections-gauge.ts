import { Gauge, type Registry } from 'prom-client';

/**
 * `agentmarket_sse_connections`: the event streams this replica holds open
 * now, read from the slot counter at each scrape (the same figure its
 * per-replica cap, SSE_MAX_STREAMS, is checked against).
 */
export function registerSseConnectionsGauge(registry: Registry, openStreams: () => number): void {
  new Gauge({
    name: 'agentmarket_sse_connections',
    help: 'Server-Sent Event streams open on this gateway replica',
    registers: [registry],
    collect() {
      this.set(openStreams());
    },
  });
}

import type { CallOptions } from '../http/transport.ts';
import { Resource } from './resource.ts';

/** Public market figures. */
export class MarketResource extends Resource {
  /** Counts, volume and fees per currency, completion rate, average rating, top earners. */
  stats(options?: CallOptions) {
    return this.call('get', '/api/stats', {}, options);
  }

  /** Who hired whom: nodes (agents) and edges (jobs, volume). */
  graph(options?: CallOptions) {
    return this.call('get', '/api/graph', {}, options);
  }

  /** The platform's status (services, bus, counts). */
  system(options?: CallOptions) {
    return this.call('get', '/api/system', {}, options);
  }
}

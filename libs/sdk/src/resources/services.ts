import type { QueryOf, RequestBody } from '../api-types.ts';
import type { CallOptions } from '../http/transport.ts';
import { Resource } from './resource.ts';

/** The service catalog. */
export class ServicesResource extends Resource {
  /** Publishes a fixed-price service (`price_usd` or `price_sats`). */
  publish(body: RequestBody<'/api/services', 'post'>, options?: CallOptions) {
    return this.call('post', '/api/services', { body }, options);
  }

  /** Searches the catalog: full text `q`, `capability`, `agent_id`, price range, `sort`; iterate for every page. */
  list(query: QueryOf<'/api/services'> = {} as QueryOf<'/api/services'>, options?: CallOptions) {
    return this.paged('/api/services', query, undefined, options);
  }

  /** Full-text search: `list` with `q`. */
  search(q: string, query: Omit<QueryOf<'/api/services'>, 'q'> = {} as QueryOf<'/api/services'>, options?: CallOptions) {
    return this.list({ ...query, q } as QueryOf<'/api/services'>, options);
  }

  get(id: string, options?: CallOptions) {
    return this.call('get', '/api/services/{id}', { params: { id } }, options);
  }

  /** Changes my service (name, description, price, is_active, max_concurrent, …). */
  update(id: string, body: RequestBody<'/api/services/{id}', 'patch'>, options?: CallOptions) {
    return this.call('patch', '/api/services/{id}', { params: { id }, body }, options);
  }

  /** Deactivates my service; running jobs are unaffected. */
  deactivate(id: string, options?: CallOptions) {
    return this.call('delete', '/api/services/{id}', { params: { id } }, options);
  }
}

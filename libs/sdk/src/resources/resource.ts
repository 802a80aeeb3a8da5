import type { ApiPath, ItemOf, ResponseOf } from '../api-types.ts';
import type { CallOptions, HttpMethod, RequestParts, Transport } from '../http/transport.ts';
import { PagedList, type Page } from '../pagination.ts';

/** What every resource group shares: typed calls and cursor-paged lists over one transport. */
export abstract class Resource {
  protected readonly http: Transport;

  constructor(http: Transport) {
    this.http = http;
  }

  protected call<P extends ApiPath, M extends HttpMethod>(method: M, path: P, parts: RequestParts = {}, options?: CallOptions): Promise<ResponseOf<P, M>> {
    return this.http.request<ResponseOf<P, M>>(method, path, parts, options);
  }

  /** A list route as a PagedList: `query.cursor`, when given, is where it starts. */
  protected paged<P extends ApiPath>(path: P, query: object = {}, params?: Record<string, string>, options?: CallOptions): PagedList<ItemOf<P>> {
    const { cursor, ...rest } = query as { cursor?: string };
    return new PagedList<ItemOf<P>>(
      (at) => this.http.request<Page<ItemOf<P>>>('get', path, { params, query: { ...rest, cursor: at } }, options),
      cursor,
    );
  }
}

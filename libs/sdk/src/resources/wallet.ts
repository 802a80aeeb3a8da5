import type { QueryOf } from '../api-types.ts';
import type { CallOptions } from '../http/transport.ts';
import { Resource } from './resource.ts';

/** My balances (available and held, per currency) and ledger entries. */
export class WalletResource extends Resource {
  get(options?: CallOptions) {
    return this.call('get', '/api/wallet', {}, options);
  }

  /** Ledger entries touching me, newest first; iterate for every page. */
  transactions(query: QueryOf<'/api/wallet/transactions'> = {} as QueryOf<'/api/wallet/transactions'>, options?: CallOptions) {
    return this.paged('/api/wallet/transactions', query, undefined, options);
  }
}

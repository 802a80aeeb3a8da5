import type { QueryOf, RequestBody } from '../api-types.ts';
import type { CallOptions } from '../http/transport.ts';
import { Resource } from './resource.ts';

/** Operator actions (admin key or an admin's token). */
export class AdminResource extends Resource {
  /** Credits internal money to an agent's or a person's wallet. */
  credit(body: RequestBody<'/api/admin/credit', 'post'>, options?: CallOptions) {
    return this.call('post', '/api/admin/credit', { body }, options);
  }

  suspendAgent(id: string, reason: string, options?: CallOptions) {
    return this.call('post', '/api/admin/agents/{id}/suspend', { params: { id }, body: { reason } }, options);
  }

  unsuspendAgent(id: string, reason?: string, options?: CallOptions) {
    return this.call('post', '/api/admin/agents/{id}/unsuspend', { params: { id }, body: reason === undefined ? undefined : { reason } }, options);
  }

  suspendService(id: string, reason: string, options?: CallOptions) {
    return this.call('post', '/api/admin/services/{id}/suspend', { params: { id }, body: { reason } }, options);
  }

  unsuspendService(id: string, reason?: string, options?: CallOptions) {
    return this.call('post', '/api/admin/services/{id}/unsuspend', { params: { id }, body: reason === undefined ? undefined : { reason } }, options);
  }

  /** The attributed admin actions, newest first; iterate for every page. */
  audit(query: QueryOf<'/api/admin/audit'> = {} as QueryOf<'/api/admin/audit'>, options?: CallOptions) {
    return this.paged('/api/admin/audit', query, undefined, options);
  }

  /** Ends every live-feed stream of the gateway replica that answers (clients resume with Last-Event-ID). */
  disconnectEventStreams(options?: CallOptions) {
    return this.call('post', '/api/admin/events/disconnect', {}, options);
  }
}

import type { QueryOf, RequestBody } from '../api-types.ts';
import type { CallOptions } from '../http/transport.ts';
import { Resource } from './resource.ts';

/**
 * My webhook endpoints and their deliveries. Deliveries are signed per
 * Standard Webhooks: check them with `verifyWebhook`.
 */
export class WebhooksResource extends Resource {
  /** Creates an endpoint; the answer holds its `secret` (`whsec_…`), shown this once. */
  create(body: RequestBody<'/api/webhooks', 'post'>, options?: CallOptions) {
    return this.call('post', '/api/webhooks', { body }, options);
  }

  list(query: QueryOf<'/api/webhooks'> = {} as QueryOf<'/api/webhooks'>, options?: CallOptions) {
    return this.paged('/api/webhooks', query, undefined, options);
  }

  get(id: string, options?: CallOptions) {
    return this.call('get', '/api/webhooks/{id}', { params: { id } }, options);
  }

  update(id: string, body: RequestBody<'/api/webhooks/{id}', 'patch'>, options?: CallOptions) {
    return this.call('patch', '/api/webhooks/{id}', { params: { id }, body }, options);
  }

  delete(id: string, options?: CallOptions) {
    return this.call('delete', '/api/webhooks/{id}', { params: { id } }, options);
  }

  /** A new secret (shown once); the old one stops signing at once. */
  rotateSecret(id: string, options?: CallOptions) {
    return this.call('post', '/api/webhooks/{id}/rotate-secret', { params: { id } }, options);
  }

  /** Sends a `webhook_test` event to the endpoint. */
  test(id: string, options?: CallOptions) {
    return this.call('post', '/api/webhooks/{id}/test', { params: { id } }, options);
  }

  /** The endpoint's deliveries (`status` filter); iterate for every page. */
  deliveries(id: string, query: QueryOf<'/api/webhooks/{id}/deliveries'> = {} as QueryOf<'/api/webhooks/{id}/deliveries'>, options?: CallOptions) {
    return this.paged('/api/webhooks/{id}/deliveries', query, { id }, options);
  }

  /** Delivers a failed (or pending) delivery again now. */
  retryDelivery(id: string, deliveryId: string, options?: CallOptions) {
    return this.call('post', '/api/webhooks/{id}/deliveries/{delivery_id}/retry', { params: { id, delivery_id: deliveryId } }, options);
  }
}

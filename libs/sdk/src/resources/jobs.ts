import type { QueryOf, RequestBody } from '../api-types.ts';
import type { CallOptions } from '../http/transport.ts';
import { Resource } from './resource.ts';

type Body<P extends Parameters<JobsResource['action']>[1]> = RequestBody<P, 'post'>;

/**
 * Jobs and their lifecycle. Every transition returns the whole job; one the
 * machine refuses is a ConflictError with code `invalid_transition`
 * (`details.from`, `details.event`).
 */
export class JobsResource extends Resource {
  /** Hires a service: a `pending` job, its price held in escrow. Retried calls reuse the Idempotency-Key: one job. */
  hire(body: RequestBody<'/api/jobs', 'post'>, options?: CallOptions) {
    return this.call('post', '/api/jobs', { body }, options);
  }

  /** My jobs (`role: client|worker`, `status`), newest first; iterate for every page. */
  list(query: QueryOf<'/api/jobs'> = {} as QueryOf<'/api/jobs'>, options?: CallOptions) {
    return this.paged('/api/jobs', query, undefined, options);
  }

  /** One job with its deliverables (its client, its worker or an admin). */
  get(id: string, options?: CallOptions) {
    return this.call('get', '/api/jobs/{id}', { params: { id } }, options);
  }

  /** The job with all its sub-jobs. */
  tree(id: string, options?: CallOptions) {
    return this.call('get', '/api/jobs/{id}/tree', { params: { id } }, options);
  }

  /** Every transition: from, to, event, actor, at. */
  history(id: string, options?: CallOptions) {
    return this.call('get', '/api/jobs/{id}/history', { params: { id } }, options);
  }

  /** Worker: accepts and starts the job. */
  start(id: string, options?: CallOptions) {
    return this.action(id, '/api/jobs/{id}/start', undefined, options);
  }

  /** Worker: delivers a result (each delivery is a new deliverable version). */
  deliver(id: string, body: Body<'/api/jobs/{id}/deliver'>, options?: CallOptions) {
    return this.action(id, '/api/jobs/{id}/deliver', body, options);
  }

  /** Client: asks for a revision, with feedback. */
  requestRevision(id: string, body: Body<'/api/jobs/{id}/request-revision'>, options?: CallOptions) {
    return this.action(id, '/api/jobs/{id}/request-revision', body, options);
  }

  /** Same as `requestRevision`. */
  revise(id: string, body: Body<'/api/jobs/{id}/request-revision'>, options?: CallOptions) {
    return this.requestRevision(id, body, options);
  }

  /** Client: accepts the delivery and rates it 1–5; the escrow goes to the worker. */
  complete(id: string, body: Body<'/api/jobs/{id}/complete'>, options?: CallOptions) {
    return this.action(id, '/api/jobs/{id}/complete', body, options);
  }

  /** Client: cancels a job not yet started (full refund). */
  cancel(id: string, body?: Body<'/api/jobs/{id}/cancel'>, options?: CallOptions) {
    return this.action(id, '/api/jobs/{id}/cancel', body, options);
  }

  /** Worker: gives up on the job (refund to the client). */
  fail(id: string, body: Body<'/api/jobs/{id}/fail'>, options?: CallOptions) {
    return this.action(id, '/api/jobs/{id}/fail', body, options);
  }

  /** Client: disputes a delivery. */
  dispute(id: string, body: Body<'/api/jobs/{id}/dispute'>, options?: CallOptions) {
    return this.action(id, '/api/jobs/{id}/dispute', body, options);
  }

  /** Admin: settles a dispute by `worker_share_pct`. */
  resolve(id: string, body: Body<'/api/jobs/{id}/resolve'>, options?: CallOptions) {
    return this.action(id, '/api/jobs/{id}/resolve', body, options);
  }

  /** The client↔worker thread of a job; iterate for every page. */
  messages(id: string, query: QueryOf<'/api/jobs/{id}/messages'> = {} as QueryOf<'/api/jobs/{id}/messages'>, options?: CallOptions) {
    return this.paged('/api/jobs/{id}/messages', query, { id }, options);
  }

  sendMessage(id: string, content: string, options?: CallOptions) {
    return this.call('post', '/api/jobs/{id}/messages', { params: { id }, body: { content } }, options);
  }

  private action<
    P extends
      | '/api/jobs/{id}/start'
      | '/api/jobs/{id}/deliver'
      | '/api/jobs/{id}/request-revision'
      | '/api/jobs/{id}/complete'
      | '/api/jobs/{id}/cancel'
      | '/api/jobs/{id}/fail'
      | '/api/jobs/{id}/dispute'
      | '/api/jobs/{id}/resolve',
  >(id: string, path: P, body: unknown, options: CallOptions | undefined) {
    return this.call('post', path, { params: { id }, body }, options);
  }
}

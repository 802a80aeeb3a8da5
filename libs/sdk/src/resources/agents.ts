import type { QueryOf, RequestBody } from '../api-types.ts';
import type { CallOptions } from '../http/transport.ts';
import { Resource } from './resource.ts';

/** Agents: registration, profiles, status and key rotation. */
export class AgentsResource extends Resource {
  /**
   * Registers an agent. The answer holds its `api_key`, shown this once. The key is never stored,
   * so a retry of a registration that did succeed (its answer lost) is a ConflictError with code
   * `key_already_issued`: register again with a new `idempotencyKey`.
   */
  register(body: RequestBody<'/api/agents', 'post'>, options?: CallOptions) {
    return this.call('post', '/api/agents', { body }, options);
  }

  /** Searches agents (`q`, `capability`, `status`, `sort`); iterate for every page. */
  list(query: QueryOf<'/api/agents'> = {} as QueryOf<'/api/agents'>, options?: CallOptions) {
    return this.paged('/api/agents', query, undefined, options);
  }

  /** An agent's public profile. */
  get(id: string, options?: CallOptions) {
    return this.call('get', '/api/agents/{id}', { params: { id } }, options);
  }

  /** My full profile (needs an agent's key or token). */
  me(options?: CallOptions) {
    return this.call('get', '/api/agents/me', {}, options);
  }

  updateMe(body: RequestBody<'/api/agents/me', 'patch'>, options?: CallOptions) {
    return this.call('patch', '/api/agents/me', { body }, options);
  }

  setStatus(status: RequestBody<'/api/agents/me/status', 'put'>['status'], options?: CallOptions) {
    return this.call('put', '/api/agents/me/status', { body: { status } }, options);
  }

  /** Rotates my API key: the new one is in the answer (shown once); the old one stops working at once. */
  rotateKey(options?: CallOptions) {
    return this.call('post', '/api/agents/me/keys', {}, options);
  }
}

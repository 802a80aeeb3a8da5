import type { RequestBody } from '../api-types.ts';
import type { CallOptions } from '../http/transport.ts';
import { Resource } from './resource.ts';

/** People's accounts and access tokens. */
export class AuthResource extends Resource {
  /** Signs a person up as a buyer. */
  signUp(body: RequestBody<'/api/users', 'post'>, options?: CallOptions) {
    return this.call('post', '/api/users', { body }, options);
  }

  /** Email and password for a short-lived access token: pass it as `token` to a new client. */
  login(body: RequestBody<'/api/auth/login', 'post'>, options?: CallOptions) {
    return this.call('post', '/api/auth/login', { body }, options);
  }

  /** Exchanges this client's agent key for a short-lived access token (role `agent`). */
  token(options?: CallOptions) {
    return this.call('post', '/api/auth/token', {}, options);
  }

  /** The signed-in person's account. */
  me(options?: CallOptions) {
    return this.call('get', '/api/users/me', {}, options);
  }
}

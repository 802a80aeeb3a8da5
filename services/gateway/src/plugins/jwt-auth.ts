import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { AppError } from '@agentmarket/contracts';
import { JwtError, parseKeyring, verifyJwt, type AccessClaims, type Keyring, type Role } from '@agentmarket/auth';
import { AGENT_KEY_HEADER, type Authenticator } from './auth.ts';

/** Who is calling, however they proved it. */
export interface RequestPrincipal {
  type: 'user' | 'agent';
  id: string;
  role: Role;
  /** `agent_key`: X-Agent-Key, checked with identity; `jwt`: a Bearer token, checked here with the keyring. */
  credential: 'agent_key' | 'jwt';
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `authenticate` (and so by requireRole). */
    authPrincipal?: RequestPrincipal;
  }
  interface FastifyInstance {
    jwtAuth: JwtAuth;
  }
}

export interface JwtAuth {
  /** The caller behind `Authorization: Bearer` or `X-Agent-Key`; undefined with neither; any bad credential is 401. */
  authenticate(request: FastifyRequest): Promise<RequestPrincipal | undefined>;
  /** preHandler: 401 without credentials, 403 `forbidden` for a caller with another role. */
  requireRole(...roles: Role[]): preHandlerAsyncHookHandler;
}

/** The keyring from the gateway's JWT_KEYS / JWT_SIGNING_KEY_ID, or undefined when JWT_KEYS is empty (Bearer tokens are then refused). */
export function keyringFromSettings(jwtKeys: string, signingKeyId: string): Keyring | undefined {
  return jwtKeys.trim() === '' ? undefined : parseKeyring(jwtKeys, signingKeyId);
}

/** The token of `Authorization: Bearer <token>`; undefined without the header, 401 for any other form. */
export function bearerTokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer +(\S+) *$/i.exec(header);
  if (!match?.[1]) throw new AppError('unauthenticated', 'The Authorization header must be "Bearer <token>"');
  return match[1];
}

/** How an agent principal authenticated: its own API key, or a JWT it got for it; undefined for people. */
export function agentCredentialOf(principal: RequestPrincipal | undefined): 'agent_key' | 'jwt' | undefined {
  return principal?.type === 'agent' ? principal.credential : undefined;
}

const hintFor = (roles: readonly Role[]) =>
  roles.includes('agent')
    ? 'Send your X-Agent-Key, or Authorization: Bearer <token>'
    : 'Log in (POST /api/auth/login) and send Authorization: Bearer <token>';

/**
 * Bearer JWTs verified with the keyring (HS256 only, key id from the header),
 * beside agent keys verified by the existing authenticator. A request that
 * carries a credential never falls back to anonymous: an expired, tampered,
 * `alg: none` or foreign token is 401 `unauthenticated`.
 */
export function createJwtAuth(options: {
  keyring: Keyring | undefined;
  agentKeys: Pick<Authenticator, 'identify' | 'credentials'>;
  leewaySeconds?: number;
}): JwtAuth {
  const resolved = new WeakMap<FastifyRequest, Promise<RequestPrincipal | undefined>>();

  const verified = (token: string): AccessClaims => {
    if (!options.keyring) {
      throw new AppError('unauthenticated', "Bearer tokens are not accepted: people's accounts are off on this server (JWT_KEYS is not set)");
    }
    try {
      return verifyJwt(token, options.keyring, { leewaySeconds: options.leewaySeconds ?? 0 });
    } catch (error) {
      if (!(error instanceof JwtError)) throw error;
      throw new AppError('unauthenticated', error.reason === 'expired' ? 'The access token has expired; log in again' : 'Invalid access token');
    }
  };

  const fromJwt = async (token: string): Promise<RequestPrincipal> => {
    const claims = verified(token);
    if (claims.role === 'agent') await checkAgentCredential(claims);
    return { type: claims.role === 'agent' ? 'agent' : 'user', id: claims.sub, role: claims.role, credential: 'jwt' };
  };

  // An agent's token stands for the key it was minted from: it dies with that key's generation, and while the agent is suspended.
  const checkAgentCredential = async (claims: AccessClaims): Promise<void> => {
    if (claims.gen === undefined) throw new AppError('unauthenticated', 'This agent token names no key generation; get a new one from POST /api/auth/token');
    const state = await options.agentKeys.credentials.get(claims.sub);
    if (state.suspended) throw new AppError('suspended', 'This agent is suspended by the operators and cannot act; ask them to lift it');
    if (claims.gen !== state.key_generation) {
      throw new AppError('unauthenticated', "This token was minted from an API key that has since been rotated; get a new one with the agent's current key");
    }
  };

  const resolve = async (request: FastifyRequest): Promise<RequestPrincipal | undefined> => {
    const token = bearerTokenOf(request);
    const hasAgentKey = request.headers[AGENT_KEY_HEADER] !== undefined;
    if (token !== undefined && hasAgentKey) {
      throw new AppError('unauthenticated', 'Send one credential: X-Agent-Key or Authorization: Bearer, not both');
    }
    if (token !== undefined) return fromJwt(token);
    if (!hasAgentKey) return undefined;
    const agent = await options.agentKeys.identify(request);
    if (!agent) return undefined;
    // Routes written for agent keys read request.principal (name, key id); keep it set for them.
    request.principal = agent;
    return { type: 'agent', id: agent.agent_id, role: 'agent', credential: 'agent_key' };
  };

  const authenticate = (request: FastifyRequest): Promise<RequestPrincipal | undefined> => {
    let pending = resolved.get(request);
    if (!pending) {
      pending = resolve(request).then((principal) => {
        request.authPrincipal = principal;
        return principal;
      });
      resolved.set(request, pending);
    }
    return pending;
  };

  return {
    authenticate,
    requireRole: (...roles) => async (request) => {
      const principal = await authenticate(request);
      if (!principal) throw new AppError('unauthenticated', hintFor(roles));
      if (!roles.includes(principal.role)) {
        throw new AppError('forbidden', `Only ${roles.join(' or ')} may do this`, { role: principal.role, allowed_roles: roles });
      }
    },
  };
}

/** Makes the JWT authenticator available to route modules as `app.jwtAuth`. */
export function decorateJwtAuth(app: FastifyInstance, jwtAuth: JwtAuth): void {
  app.decorate('jwtAuth', jwtAuth);
}

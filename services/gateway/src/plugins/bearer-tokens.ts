import type { FastifyRequest } from 'fastify';
import { AppError } from '@agentmarket/contracts';
import { JwtError, parseKeyring, verifyJwt, type AccessClaims, type Keyring } from '@agentmarket/auth';
import type { AgentKeys } from './agent-keys.ts';
import type { IdentifiedCaller } from './request-caller.ts';

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

/**
 * Bearer JWTs verified with the keyring (HS256 only, key id from the header).
 * An expired, tampered, `alg: none` or foreign token is 401 `unauthenticated`.
 */
export function createBearerTokens(options: {
  keyring: Keyring | undefined;
  agentKeys: Pick<AgentKeys, 'credentials'>;
  leewaySeconds?: number;
}): { verify(token: string): Promise<IdentifiedCaller> } {
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

  // An agent's token stands for the key it was minted from: it dies with that key's generation, and while the agent is suspended.
  const checkAgentCredential = async (claims: AccessClaims): Promise<void> => {
    if (claims.gen === undefined) throw new AppError('unauthenticated', 'This agent token names no key generation; get a new one from POST /api/auth/token');
    const state = await options.agentKeys.credentials.get(claims.sub);
    if (state.suspended) throw new AppError('suspended', 'This agent is suspended by the operators and cannot act; ask them to lift it');
    if (claims.gen !== state.key_generation) {
      throw new AppError('unauthenticated', "This token was minted from an API key that has since been rotated; get a new one with the agent's current key");
    }
  };

  return {
    verify: async (token) => {
      const claims = verified(token);
      switch (claims.role) {
        case 'agent':
          await checkAgentCredential(claims);
          return { kind: 'agent', id: claims.sub, credential: 'jwt' };
        case 'admin':
          return { kind: 'admin', id: claims.sub, credential: 'jwt' };
        case 'buyer':
          return { kind: 'user', id: claims.sub };
      }
    },
  };
}

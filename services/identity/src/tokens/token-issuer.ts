import { AppError } from '@agentmarket/contracts';
import { issueAccessToken, type Keyring, type Role } from '@agentmarket/auth';

export interface BearerToken {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

/** Signs access tokens with the configured keyring, or explains why it cannot. */
export interface TokenIssuer {
  /** A fresh access token; `unavailable` naming JWT_KEYS when people's accounts are off. */
  issue(sub: string, role: Role, keyGeneration?: number): BearerToken;
  /** Throws the same `unavailable` when no token could be issued, so a request fails before doing any work. */
  ensureAvailable(): void;
}

const ACCOUNTS_OFF = new AppError(
  'unavailable',
  "People's accounts are off on this server: set JWT_KEYS (and JWT_SIGNING_KEY_ID) for identity and the gateway",
  { setting: 'JWT_KEYS' },
);

/** An issuer for `keyring`, or one that refuses every request when there is none. */
export function createTokenIssuer(keyring: Keyring | undefined, ttlSeconds: number): TokenIssuer {
  if (!keyring) {
    return {
      issue: () => {
        throw ACCOUNTS_OFF;
      },
      ensureAvailable: () => {
        throw ACCOUNTS_OFF;
      },
    };
  }
  return {
    issue: (sub, role, keyGeneration) => ({
      access_token: issueAccessToken(keyGeneration === undefined ? { sub, role } : { sub, role, gen: keyGeneration }, keyring, { ttlSeconds }).token,
      token_type: 'Bearer',
      expires_in: ttlSeconds,
    }),
    ensureAvailable: () => undefined,
  };
}

import { createHash, randomBytes } from 'node:crypto';
import { API_KEY_PREFIX } from '@agentmarket/contracts';

/** A new agent key: `agmkt_sk_` + 64 hex characters (256 random bits). */
export function generateApiKey(): string {
  return `${API_KEY_PREFIX}${randomBytes(32).toString('hex')}`;
}

/**
 * The stored form of a key. SHA-256 without salt is enough here: the key is
 * 256 random bits, so there is nothing to brute-force, and a fast hash lets
 * the lookup be a unique-index equality match.
 */
export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey).digest('hex');
}

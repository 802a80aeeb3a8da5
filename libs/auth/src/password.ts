import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** scrypt cost: N (CPU/memory, a power of two), r (block size), p (parallelism). */
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/** 2^15 × 8 × 128 bytes = 32 MiB and ~50–100 ms per hash: OWASP's scrypt baseline. */
export const PASSWORD_HASH_PARAMS: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };

const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Bounds on what a stored hash may ask for, so a corrupt row cannot make one verification take minutes or gigabytes. */
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;

/**
 * A hash of a random password nobody knows, with the default parameters.
 * Login verifies against it when the email is unknown, so that path costs
 * the same scrypt run as a wrong password for a real account.
 */
export const DUMMY_PASSWORD_HASH = 'scrypt$32768$8$1$QuLTlsykdo1K9VaVbUCJVQ$KCx-JeLbu-Aa3zrvwU0GYe58xtZmlyPp-jNA4W04ey4';

/** A stored password hash that cannot be read: a bug or a corrupt row, never a wrong password. */
export class PasswordHashError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PasswordHashError';
  }
}

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + 1024 * 1024 };
  // NFKC: the same password typed on two keyboards (composed vs decomposed accents) gives the same hash.
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, KEY_BYTES, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/** `scrypt$N$r$p$salt$hash` (salt and hash in base64url): the parameters travel with the hash, so they can be raised later. */
export async function hashPassword(password: string, params: ScryptParams = PASSWORD_HASH_PARAMS): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** The parameters, salt and key of a stored hash; throws PasswordHashError when it is not one of ours. */
export function parsePasswordHash(stored: string): { params: ScryptParams; salt: Buffer; key: Buffer } {
  const parts = stored.split('$');
  const [scheme, n, r, p, salt, key] = parts;
  if (parts.length !== 6 || scheme !== 'scrypt' || !n || !r || !p || !salt || !key) throw new PasswordHashError('Not an scrypt$N$r$p$salt$hash string');
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  const isPowerOfTwo = Number.isInteger(params.N) && params.N > 1 && (params.N & (params.N - 1)) === 0;
  if (!isPowerOfTwo || params.N > MAX_N) throw new PasswordHashError('scrypt N must be a power of two ≤ 2^20');
  if (!Number.isInteger(params.r) || params.r < 1 || params.r > MAX_R) throw new PasswordHashError(`scrypt r must be 1–${MAX_R}`);
  if (!Number.isInteger(params.p) || params.p < 1 || params.p > MAX_P) throw new PasswordHashError(`scrypt p must be 1–${MAX_P}`);
  const saltBytes = Buffer.from(salt, 'base64url');
  const keyBytes = Buffer.from(key, 'base64url');
  if (saltBytes.length < SALT_BYTES || keyBytes.length !== KEY_BYTES) throw new PasswordHashError('scrypt salt or key has the wrong length');
  return { params, salt: saltBytes, key: keyBytes };
}

/** Whether `password` matches the stored hash; the keys are compared in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const { params, salt, key } = parsePasswordHash(stored);
  const candidate = await derive(password, salt, params);
  return timingSafeEqual(candidate, key);
}

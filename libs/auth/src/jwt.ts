import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { KeyringError, type Keyring } from './keyring.ts';

/** The `iss` of every token the platform issues; any other issuer is rejected. */
export const JWT_ISSUER = 'agentmarket';
/** The `aud` of every token: this API. A token minted for another audience (another product on the same keyring) is refused. */
export const JWT_AUDIENCE = 'agentmarket-api';

export const ROLES = ['buyer', 'admin', 'agent'] as const;
export type Role = (typeof ROLES)[number];

/** What an access token asserts. Times are seconds since the epoch. */
export interface AccessClaims {
  sub: string;
  role: Role;
  iss: typeof JWT_ISSUER;
  aud: typeof JWT_AUDIENCE;
  iat: number;
  exp: number;
  jti: string;
  nbf?: number;
  /** Agents' tokens: the key generation they were minted from; a rotation makes older generations invalid. */
  gen?: number;
}

export interface JwtHeader {
  alg: 'HS256';
  typ: 'JWT';
  kid: string;
}

export const JWT_ERROR_REASONS = [
  'malformed',
  'unsupported_algorithm',
  'unknown_key',
  'bad_signature',
  'expired',
  'not_yet_valid',
  'wrong_issuer',
  'wrong_audience',
  'invalid_claims',
] as const;
export type JwtErrorReason = (typeof JWT_ERROR_REASONS)[number];

/** Why a token was refused; callers answer every reason with the same 401. */
export class JwtError extends Error {
  readonly reason: JwtErrorReason;

  constructor(reason: JwtErrorReason, message: string) {
    super(message);
    this.name = 'JwtError';
    this.reason = reason;
  }
}

export interface VerifyOptions {
  /** The current time in seconds (tests); defaults to the clock. */
  now?: number;
  /** Clock skew tolerated on `exp` and `nbf`, in seconds; default 0. */
  leewaySeconds?: number;
}

/** Tokens longer than this are refused before any parsing. */
const MAX_TOKEN_LENGTH = 8192;
const SEGMENT = /^[A-Za-z0-9_-]+$/;

const nowInSeconds = () => Math.floor(Date.now() / 1000);

/** `base64url(header).base64url(payload)`: the signing input; exported so tests can forge tokens with any header. */
export function encodeJwtParts(header: object, payload: object): string {
  const encode = (part: object) => Buffer.from(JSON.stringify(part), 'utf8').toString('base64url');
  return `${encode(header)}.${encode(payload)}`;
}

function hmac(secret: Buffer, signingInput: string): Buffer {
  return createHmac('sha256', secret).update(signingInput, 'ascii').digest();
}

/** Signs claims as an HS256 JWT with the keyring's signing key (or `options.kid`), key id in the header. */
export function signJwt(claims: object, keyring: Keyring, options: { kid?: string } = {}): string {
  const kid = options.kid ?? keyring.signingKeyId;
  const secret = keyring.secretOf(kid);
  if (!secret) throw new KeyringError(`No key "${kid}" in the keyring`);
  const header: JwtHeader = { alg: 'HS256', typ: 'JWT', kid };
  const signingInput = encodeJwtParts(header, claims);
  return `${signingInput}.${hmac(secret, signingInput).toString('base64url')}`;
}

/** A fresh access token for `sub` in `role`, valid for `ttlSeconds` from `now`. */
export function issueAccessToken(
  subject: { sub: string; role: Role; gen?: number },
  keyring: Keyring,
  options: { ttlSeconds: number; now?: number },
): { token: string; claims: AccessClaims } {
  const iat = options.now ?? nowInSeconds();
  const claims: AccessClaims = { sub: subject.sub, role: subject.role, iss: JWT_ISSUER, aud: JWT_AUDIENCE, iat, exp: iat + options.ttlSeconds, jti: randomUUID() };
  if (subject.gen !== undefined) claims.gen = subject.gen;
  return { token: signJwt(claims, keyring), claims };
}

function decodeJsonSegment(segment: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    throw new JwtError('malformed', `The token's ${what} is not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new JwtError('malformed', `The token's ${what} is not an object`);
  return value as Record<string, unknown>;
}

const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

function readClaims(payload: Record<string, unknown>): AccessClaims {
  const { sub, role, iss, aud, iat, exp, jti, nbf, gen } = payload;
  if (typeof sub !== 'string' || sub === '') throw new JwtError('invalid_claims', 'The token has no subject');
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) throw new JwtError('invalid_claims', 'The token has no valid role');
  if (!isTime(iat) || !isTime(exp)) throw new JwtError('invalid_claims', 'The token lacks iat or exp');
  if (typeof jti !== 'string' || jti === '') throw new JwtError('invalid_claims', 'The token has no jti');
  if (nbf !== undefined && !isTime(nbf)) throw new JwtError('invalid_claims', 'The token has an invalid nbf');
  if (gen !== undefined && !(typeof gen === 'number' && Number.isSafeInteger(gen) && gen >= 1)) throw new JwtError('invalid_claims', 'The token has an invalid gen');
  if (iss !== JWT_ISSUER) throw new JwtError('wrong_issuer', 'The token was not issued by this platform');
  // A string, as this platform issues it; an array form is not accepted (no token of ours needs two audiences).
  if (aud !== JWT_AUDIENCE) throw new JwtError('wrong_audience', 'The token was not issued for this API');
  const claims: AccessClaims = { sub, role: role as Role, iss, aud, iat, exp, jti };
  if (nbf !== undefined) claims.nbf = nbf;
  if (gen !== undefined) claims.gen = gen as number;
  return claims;
}

/**
 * The claims of a valid token. Throws JwtError for anything else: a
 * malformed token, an algorithm other than HS256 (`none` included), an
 * unknown key id, a signature that does not match (compared in constant
 * time), an expired or not-yet-valid token, another issuer or another audience.
 */
export function verifyJwt(token: string, keyring: Keyring, options: VerifyOptions = {}): AccessClaims {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) throw new JwtError('malformed', 'The token is not a JWT');
  const parts = token.split('.');
  const [headerPart, payloadPart, signaturePart] = parts;
  if (parts.length !== 3 || headerPart === undefined || payloadPart === undefined || signaturePart === undefined) {
    throw new JwtError('malformed', 'The token is not a JWT');
  }
  if (!SEGMENT.test(headerPart) || !SEGMENT.test(payloadPart)) throw new JwtError('malformed', 'The token is not base64url');
  const header = decodeJsonSegment(headerPart, 'header');
  // The algorithm is fixed by the server, never chosen by the token: this is what stops `alg: none` and key confusion.
  if (header.alg !== 'HS256') throw new JwtError('unsupported_algorithm', 'Only HS256 tokens are accepted');
  if (header.typ !== undefined && header.typ !== 'JWT') throw new JwtError('malformed', 'The token type is not JWT');
  if (header.crit !== undefined) throw new JwtError('malformed', 'The token requires extensions this server does not know');
  if (typeof header.kid !== 'string') throw new JwtError('unknown_key', 'The token names no key id');
  const secret = keyring.secretOf(header.kid);
  if (!secret) throw new JwtError('unknown_key', 'The token was signed with a key this server does not know');
  if (!SEGMENT.test(signaturePart)) throw new JwtError('bad_signature', 'The token signature is invalid');
  const expected = hmac(secret, `${headerPart}.${payloadPart}`);
  const given = Buffer.from(signaturePart, 'base64url');
  // Re-encoding catches non-canonical base64url (trailing bits) that would decode to the same bytes.
  if (given.length !== expected.length || given.toString('base64url') !== signaturePart || !timingSafeEqual(given, expected)) {
    throw new JwtError('bad_signature', 'The token signature is invalid');
  }
  const claims = readClaims(decodeJsonSegment(payloadPart, 'payload'));
  const now = options.now ?? nowInSeconds();
  const leeway = options.leewaySeconds ?? 0;
  if (now >= claims.exp + leeway) throw new JwtError('expired', 'The token has expired');
  if (claims.nbf !== undefined && now + leeway < claims.nbf) throw new JwtError('not_yet_valid', 'The token is not valid yet');
  return claims;
}

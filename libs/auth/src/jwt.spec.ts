import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { JwtError, encodeJwtParts, issueAccessToken, signJwt, verifyJwt, type AccessClaims, type JwtErrorReason } from './jwt.ts';
import { parseKeyring } from './keyring.ts';

const OLD_SECRET = 'old-secret-old-secret-old-secret-0001';
const NEW_SECRET = 'new-secret-new-secret-new-secret-0002';
const keyring = parseKeyring(`old:${OLD_SECRET},new:${NEW_SECRET}`, 'new');
const NOW = 1_900_000_000;

const claims = (overrides: Partial<Record<keyof AccessClaims, unknown>> = {}) => ({
  sub: '0190a1b2-0000-7000-8000-000000000001',
  role: 'buyer',
  iss: 'agentmarket',
  aud: 'agentmarket-api',
  iat: NOW,
  exp: NOW + 900,
  jti: 'jti-1',
  ...overrides,
});

const segments = (token: string) => token.split('.') as [string, string, string];
const decode = (segment: string) => JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as Record<string, unknown>;

function rejection(token: string, options = { now: NOW }): JwtErrorReason | 'accepted' {
  try {
    verifyJwt(token, keyring, options);
    return 'accepted';
  } catch (error) {
    expect(error).toBeInstanceOf(JwtError);
    return (error as JwtError).reason;
  }
}

describe('signJwt / verifyJwt', () => {
  it('round-trips the claims, with alg, typ and kid in the header', () => {
    const token = signJwt(claims(), keyring);
    expect(decode(segments(token)[0])).toEqual({ alg: 'HS256', typ: 'JWT', kid: 'new' });
    expect(verifyJwt(token, keyring, { now: NOW })).toEqual(claims());
  });

  it('is a standard HS256 JWT (the signature is HMAC-SHA256 of header.payload)', () => {
    const [header, payload, signature] = segments(signJwt(claims(), keyring));
    expect(signature).toBe(createHmac('sha256', NEW_SECRET).update(`${header}.${payload}`).digest('base64url'));
  });

  it('keeps accepting tokens of a rotated-out key that is still in the keyring', () => {
    const token = signJwt(claims(), keyring, { kid: 'old' });
    expect(decode(segments(token)[0]).kid).toBe('old');
    expect(verifyJwt(token, keyring, { now: NOW }).sub).toBe(claims().sub);
  });

  it('issues access tokens that expire after the ttl', () => {
    const { token, claims: issued } = issueAccessToken({ sub: 'agent-1', role: 'agent' }, keyring, { ttlSeconds: 900, now: NOW });
    expect(issued).toMatchObject({ sub: 'agent-1', role: 'agent', iss: 'agentmarket', iat: NOW, exp: NOW + 900 });
    expect(issued.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(verifyJwt(token, keyring, { now: NOW + 899 })).toEqual(issued);
    expect(rejection(token, { now: NOW + 900 })).toBe('expired');
    expect(issueAccessToken({ sub: 'a', role: 'agent' }, keyring, { ttlSeconds: 60 }).claims.jti).not.toBe(issued.jti);
  });

  it('rejects a tampered payload', () => {
    const [header, , signature] = segments(signJwt(claims(), keyring));
    const forgedPayload = Buffer.from(JSON.stringify(claims({ role: 'admin' }))).toString('base64url');
    expect(rejection(`${header}.${forgedPayload}.${signature}`)).toBe('bad_signature');
  });

  it('rejects a tampered signature', () => {
    const [header, payload, signature] = segments(signJwt(claims(), keyring));
    const flipped = Buffer.from(signature, 'base64url');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(rejection(`${header}.${payload}.${flipped.toString('base64url')}`)).toBe('bad_signature');
    expect(rejection(`${header}.${payload}.${signature.slice(0, -2)}`)).toBe('bad_signature');
    expect(rejection(`${header}.${payload}.${signature}AA`)).toBe('bad_signature');
  });

  it('rejects alg none, with or without a signature', () => {
    const unsigned = encodeJwtParts({ alg: 'none', typ: 'JWT', kid: 'new' }, claims());
    expect(rejection(`${unsigned}.`)).toBe('unsupported_algorithm');
    expect(rejection(`${unsigned}.${segments(signJwt(claims(), keyring))[2]}`)).toBe('unsupported_algorithm');
    expect(rejection(`${encodeJwtParts({ alg: 'None', kid: 'new' }, claims())}.`)).toBe('unsupported_algorithm');
  });

  it('rejects other algorithms even when the HMAC is right', () => {
    for (const alg of ['HS512', 'RS256', 'hs256']) {
      const input = encodeJwtParts({ alg, typ: 'JWT', kid: 'new' }, claims());
      const signature = createHmac('sha256', NEW_SECRET).update(input).digest('base64url');
      expect(rejection(`${input}.${signature}`)).toBe('unsupported_algorithm');
    }
  });

  it('rejects a token signed with another secret under a known key id', () => {
    const impostor = parseKeyring(`new:${'x'.repeat(40)}`);
    expect(rejection(signJwt(claims(), impostor))).toBe('bad_signature');
  });

  it('rejects an unknown or missing key id', () => {
    const stranger = parseKeyring(`other:${NEW_SECRET}`);
    expect(rejection(signJwt(claims(), stranger))).toBe('unknown_key');
    const input = encodeJwtParts({ alg: 'HS256', typ: 'JWT' }, claims());
    expect(rejection(`${input}.${createHmac('sha256', NEW_SECRET).update(input).digest('base64url')}`)).toBe('unknown_key');
  });

  it('rejects an expired token, honouring the leeway', () => {
    const token = signJwt(claims({ exp: NOW - 1 }), keyring);
    expect(rejection(token)).toBe('expired');
    expect(verifyJwt(token, keyring, { now: NOW, leewaySeconds: 5 }).exp).toBe(NOW - 1);
  });

  it('rejects a token before its nbf, honouring the leeway', () => {
    const token = signJwt(claims({ nbf: NOW + 60 }), keyring);
    expect(rejection(token)).toBe('not_yet_valid');
    expect(rejection(token, { now: NOW + 60 })).toBe('accepted');
    expect(verifyJwt(token, keyring, { now: NOW, leewaySeconds: 60 }).nbf).toBe(NOW + 60);
  });

  it('rejects a token of another issuer', () => {
    expect(rejection(signJwt(claims({ iss: 'someone-else' }), keyring))).toBe('wrong_issuer');
    expect(rejection(signJwt(claims({ iss: undefined }), keyring))).toBe('wrong_issuer');
  });

  it('rejects a token without this API as its audience', () => {
    expect(rejection(signJwt(claims({ aud: undefined }), keyring))).toBe('wrong_audience');
    expect(rejection(signJwt(claims({ aud: 'another-api' }), keyring))).toBe('wrong_audience');
    expect(rejection(signJwt(claims({ aud: ['agentmarket-api'] }), keyring))).toBe('wrong_audience');
  });

  it('carries an agent token\'s key generation, and refuses a malformed one', () => {
    const { token } = issueAccessToken({ sub: 'agent-1', role: 'agent', gen: 3 }, keyring, { ttlSeconds: 60, now: NOW });
    expect(verifyJwt(token, keyring, { now: NOW }).gen).toBe(3);
    expect(rejection(signJwt(claims({ gen: 0 }), keyring))).toBe('invalid_claims');
    expect(rejection(signJwt(claims({ gen: '2' }), keyring))).toBe('invalid_claims');
  });

  it.each([
    ['no subject', { sub: '' }],
    ['an unknown role', { role: 'root' }],
    ['no expiry', { exp: undefined }],
    ['a text expiry', { exp: `${NOW + 900}` }],
    ['no jti', { jti: undefined }],
    ['a text nbf', { nbf: 'soon' }],
  ])('rejects claims with %s', (_label, overrides) => {
    expect(rejection(signJwt(claims(overrides), keyring))).toBe('invalid_claims');
  });

  it.each([
    ['an empty string', ''],
    ['two segments', 'a.b'],
    ['four segments', 'a.b.c.d'],
    ['non-base64url characters', 'a+b.c/d.e'],
    ['a header that is not JSON', `${Buffer.from('nope').toString('base64url')}.e30.sig`],
    ['a header that is an array', `${Buffer.from('[1]').toString('base64url')}.e30.sig`],
    ['a huge token', `${'a'.repeat(9000)}.b.c`],
  ])('rejects a malformed token: %s', (_label, token) => {
    expect(rejection(token)).toBe('malformed');
  });

  it('rejects a payload that is not JSON even with a valid signature', () => {
    const input = `${Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: 'new' })).toString('base64url')}.${Buffer.from('not json').toString('base64url')}`;
    expect(rejection(`${input}.${createHmac('sha256', NEW_SECRET).update(input).digest('base64url')}`)).toBe('malformed');
  });

  it('refuses to sign with a key the keyring does not have', () => {
    expect(() => signJwt(claims(), keyring, { kid: 'missing' })).toThrow(/missing/);
  });
});

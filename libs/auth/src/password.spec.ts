import { describe, expect, it } from 'vitest';
import { DUMMY_PASSWORD_HASH, PASSWORD_HASH_PARAMS, PasswordHashError, hashPassword, parsePasswordHash, verifyPassword } from './password.ts';

// Cheap parameters for the round trips; one test runs the real cost.
const FAST = { N: 2 ** 10, r: 8, p: 1 };

describe('hashPassword / verifyPassword', () => {
  it('stores scrypt$N$r$p$salt$hash with a 16-byte salt and a 32-byte key', async () => {
    const stored = await hashPassword('a long enough password', FAST);
    expect(stored).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    const parsed = parsePasswordHash(stored);
    expect(parsed.salt).toHaveLength(16);
    expect(parsed.key).toHaveLength(32);
  });

  it('accepts the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('correct horse battery staple', FAST);
    await expect(verifyPassword('correct horse battery staple', stored)).resolves.toBe(true);
    await expect(verifyPassword('correct horse battery stapler', stored)).resolves.toBe(false);
    await expect(verifyPassword('', stored)).resolves.toBe(false);
  });

  it('salts every hash', async () => {
    const [first, second] = await Promise.all([hashPassword('same password!', FAST), hashPassword('same password!', FAST)]);
    expect(first).not.toBe(second);
  });

  it('treats composed and decomposed accents as the same password', async () => {
    const stored = await hashPassword('caf\u00e9-caf\u00e9-caf\u00e9', FAST);
    await expect(verifyPassword('cafe\u0301-cafe\u0301-cafe\u0301', stored)).resolves.toBe(true);
  });

  it('uses N=2^15, r=8, p=1 by default and verifies with the parameters stored in the hash', async () => {
    expect(PASSWORD_HASH_PARAMS).toEqual({ N: 32768, r: 8, p: 1 });
    const stored = await hashPassword('the real cost password');
    expect(stored.startsWith('scrypt$32768$8$1$')).toBe(true);
    await expect(verifyPassword('the real cost password', stored)).resolves.toBe(true);
  });

  it('has a dummy hash with the default cost that no password matches', async () => {
    expect(parsePasswordHash(DUMMY_PASSWORD_HASH).params).toEqual(PASSWORD_HASH_PARAMS);
    await expect(verifyPassword('correct horse battery staple', DUMMY_PASSWORD_HASH)).resolves.toBe(false);
    await expect(verifyPassword('', DUMMY_PASSWORD_HASH)).resolves.toBe(false);
  });

  it.each([
    ['another scheme', 'bcrypt$2b$10$abc'],
    ['too few parts', 'scrypt$1024$8$1$salt'],
    ['N not a power of two', 'scrypt$1000$8$1$QuLTlsykdo1K9VaVbUCJVQ$KCx-JeLbu-Aa3zrvwU0GYe58xtZmlyPp-jNA4W04ey4'],
    ['N too large', 'scrypt$4194304$8$1$QuLTlsykdo1K9VaVbUCJVQ$KCx-JeLbu-Aa3zrvwU0GYe58xtZmlyPp-jNA4W04ey4'],
    ['r out of range', 'scrypt$1024$0$1$QuLTlsykdo1K9VaVbUCJVQ$KCx-JeLbu-Aa3zrvwU0GYe58xtZmlyPp-jNA4W04ey4'],
    ['a short key', 'scrypt$1024$8$1$QuLTlsykdo1K9VaVbUCJVQ$KCx-JeLbu'],
  ])('refuses a stored hash with %s', async (_label, stored) => {
    await expect(verifyPassword('whatever password', stored)).rejects.toThrow(PasswordHashError);
  });
});

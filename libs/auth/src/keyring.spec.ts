import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { KeyringError, parseKeyring } from './keyring.ts';

const SECRET_A = 'a'.repeat(32);
const SECRET_B = 'correct-horse-battery-staple-0123456789';

describe('parseKeyring', () => {
  it('reads kid:secret pairs and signs with the chosen key', () => {
    const keyring = parseKeyring(`2026-01:${SECRET_A}, 2026-02:${SECRET_B}`, '2026-02');
    expect(keyring.signingKeyId).toBe('2026-02');
    expect(keyring.keyIds).toEqual(['2026-01', '2026-02']);
    expect(keyring.secretOf('2026-01')?.toString()).toBe(SECRET_A);
    expect(keyring.secretOf('unknown')).toBeUndefined();
  });

  it('signs with the only key when no signing key id is given', () => {
    expect(parseKeyring(`k1:${SECRET_A}`).signingKeyId).toBe('k1');
    expect(parseKeyring(`k1:${SECRET_A}`, '  ').signingKeyId).toBe('k1');
  });

  it('keeps colons inside a secret', () => {
    expect(parseKeyring(`k1:${SECRET_A}:more`).secretOf('k1')?.toString()).toBe(`${SECRET_A}:more`);
  });

  it.each([
    ['', '', /empty/],
    [' , ', '', /empty/],
    [SECRET_A, '', /not kid:secret/],
    [`k1:short`, '', /k1.*at least 32/],
    [`bad kid!:${SECRET_A}`, '', /key id/],
    [`k1:${SECRET_A},k1:${SECRET_B}`, 'k1', /twice/],
    [`k1:${SECRET_A},k2:${SECRET_B}`, '', /JWT_SIGNING_KEY_ID is required/],
    [`k1:${SECRET_A}`, 'k9', /"k9" is not a key id/],
  ])('refuses %j (signing %j) with a clear message', (keys, signing, message) => {
    expect(() => parseKeyring(keys, signing)).toThrow(KeyringError);
    expect(() => parseKeyring(keys, signing)).toThrow(message);
  });

  it('never shows a secret in an error, a log line or JSON', () => {
    const tooShort = 'sekrit-but-short';
    let message = '';
    try {
      parseKeyring(`k1:${tooShort}`);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).not.toContain(tooShort);
    const keyring = parseKeyring(`k1:${SECRET_B}`);
    expect(JSON.stringify(keyring)).not.toContain(SECRET_B);
    expect(inspect(keyring)).not.toContain(SECRET_B);
    expect(`${inspect({ keyring })}`).toContain('k1');
  });
});

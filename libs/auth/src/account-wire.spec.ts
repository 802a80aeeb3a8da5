import { describe, expect, it } from 'vitest';
import { loginCommandSchema, registerUserInputSchema } from './account-wire.ts';

describe('account wire schemas', () => {
  it('stores emails trimmed and lowercased', () => {
    const parsed = registerUserInputSchema.parse({ email: '  Ada@Example.COM ', password: 'x'.repeat(12) });
    expect(parsed.email).toBe('ada@example.com');
    expect(loginCommandSchema.parse({ email: 'ADA@example.com', password: 'p' }).email).toBe('ada@example.com');
  });

  it('asks 12–200 characters of a new password', () => {
    const base = { email: 'ada@example.com' };
    expect(registerUserInputSchema.safeParse({ ...base, password: 'x'.repeat(11) }).success).toBe(false);
    expect(registerUserInputSchema.safeParse({ ...base, password: 'x'.repeat(12) }).success).toBe(true);
    expect(registerUserInputSchema.safeParse({ ...base, password: 'x'.repeat(200) }).success).toBe(true);
    expect(registerUserInputSchema.safeParse({ ...base, password: 'x'.repeat(201) }).success).toBe(false);
  });

  it('refuses a malformed email, unknown fields and a role in the sign-up', () => {
    const password = 'x'.repeat(12);
    expect(registerUserInputSchema.safeParse({ email: 'not-an-email', password }).success).toBe(false);
    expect(registerUserInputSchema.safeParse({ email: 'ada@example.com', password, role: 'admin' }).success).toBe(false);
  });
});

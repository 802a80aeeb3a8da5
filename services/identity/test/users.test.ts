import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '@agentmarket/config';
import { AppError, SUBJECTS, type RegisteredAgent } from '@agentmarket/contracts';
import {
  ACCOUNT_SUBJECTS,
  parseKeyring,
  verifyJwt,
  type AgentAccessToken,
  type RegisteredUser,
  type UserAccessToken,
  type UserAccount,
} from '@agentmarket/auth';
import { startServiceUnderTest, waitUntil, type ServiceUnderTest } from '@agentmarket/testing';
import { identitySettings } from '../src/config.ts';
import { AdminAccounts, createIdentityModule } from '../src/identity.module.ts';

const JWT_KEYS = `k1:${'s'.repeat(40)},k2:${'t'.repeat(40)}`;
const keyring = parseKeyring(JWT_KEYS, 'k2');
const MAX_FAILURES = 3;
const WINDOW_SECONDS = 6;
const ADMIN = { email: 'root@agentmarket.test', password: 'admin password 123' };
const ENV = {
  JWT_KEYS,
  JWT_SIGNING_KEY_ID: 'k2',
  LOGIN_MAX_FAILURES: String(MAX_FAILURES),
  LOGIN_WINDOW_SECONDS: String(WINDOW_SECONDS),
  ADMIN_EMAIL: ADMIN.email.toUpperCase(),
  ADMIN_PASSWORD: ADMIN.password,
};

const start = (env: Record<string, string>) => startServiceUnderTest(createIdentityModule(loadSettings(identitySettings, env)), identitySettings, env);

let stack: ServiceUnderTest;
beforeAll(async () => {
  stack = await start(ENV);
});
afterAll(async () => stack?.stop());

const request = <T>(subject: string, payload: unknown, on: ServiceUnderTest = stack) => on.bus.request<T>(subject, payload);
const register = (email: string, password: string, on?: ServiceUnderTest) =>
  request<RegisteredUser>(SUBJECTS.identity.registerUser, { email, password }, on);
const login = (email: string, password: string, on?: ServiceUnderTest, clientIp = '203.0.113.7') =>
  request<UserAccessToken>(SUBJECTS.identity.login, { email, password, client_ip: clientIp }, on);

/** The AppError a request fails with (the test fails if it succeeds). */
async function failure(promise: Promise<unknown>): Promise<AppError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(AppError);
  return outcome as AppError;
}

const uniqueEmail = (label: string) => `${label}-${randomBytes(4).toString('hex')}@example.com`;

describe('sign-up', () => {
  it('registers a buyer, storing the email lowercased and only an scrypt hash of the password', async () => {
    const password = 'correct horse battery staple';
    const registered = await register('  Ada.Lovelace@Example.COM ', password);
    expect(registered).toEqual({ user_id: expect.stringMatching(/^[0-9a-f-]{36}$/), email: 'ada.lovelace@example.com', role: 'buyer', created_at: expect.any(String) });
    const rows = await stack.orm.em.fork().execute<{ email: string; role: string; password_hash: string }[]>(
      'select email, role, password_hash from identity.users where id = ?',
      [registered.user_id],
      'all',
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.email).toBe('ada.lovelace@example.com');
    expect(rows[0]?.role).toBe('buyer');
    expect(rows[0]?.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(rows[0]?.password_hash).not.toContain(password);
  });

  it('answers a taken email exactly like a new one, and changes nothing', async () => {
    const email = uniqueEmail('taken');
    const first = await register(email, 'the first password');
    const again = await register(email.toUpperCase(), 'a second password');
    expect(Object.keys(again).sort()).toEqual(Object.keys(first).sort());
    expect(again).toMatchObject({ email, role: 'buyer' });
    expect(again.user_id).not.toBe(first.user_id);
    const [count] = await stack.orm.em.fork().execute<{ n: number }[]>('select count(*)::int as n from identity.users where email = ?', [email], 'all');
    expect(count?.n).toBe(1);
    expect((await login(email, 'the first password')).user_id).toBe(first.user_id);
    expect((await failure(login(email, 'a second password'))).code).toBe('unauthenticated');
  });

  it('refuses short passwords, malformed emails and a role in the body', async () => {
    expect((await failure(register(uniqueEmail('short'), 'elevenchars'))).code).toBe('validation_failed');
    expect((await failure(register('not-an-email', 'long enough password'))).code).toBe('validation_failed');
    const withRole = request(SUBJECTS.identity.registerUser, { email: uniqueEmail('role'), password: 'long enough password', role: 'admin' });
    expect((await failure(withRole)).code).toBe('validation_failed');
  });
});

describe('login', () => {
  it('returns a short-lived HS256 token signed with the signing key, and the account behind it', async () => {
    const email = uniqueEmail('login');
    const registered = await register(email, 'my password is long');
    const token = await login(email.toUpperCase(), 'my password is long');
    expect(token).toMatchObject({ token_type: 'Bearer', expires_in: 900, role: 'buyer', user_id: registered.user_id });
    const header = JSON.parse(Buffer.from(token.access_token.split('.')[0] ?? '', 'base64url').toString()) as Record<string, unknown>;
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT', kid: 'k2' });
    const claims = verifyJwt(token.access_token, keyring);
    expect(claims).toMatchObject({ sub: registered.user_id, role: 'buyer', iss: 'agentmarket' });
    expect(claims.exp - claims.iat).toBe(900);

    const account = await request<UserAccount>(ACCOUNT_SUBJECTS.getUser, { user_id: registered.user_id });
    expect(account).toEqual({
      id: registered.user_id,
      email,
      name: null,
      role: 'buyer',
      created_at: registered.created_at,
      updated_at: registered.created_at,
    });
    expect(JSON.stringify(account)).not.toContain('scrypt');
    expect((await failure(request(ACCOUNT_SUBJECTS.getUser, { user_id: '0190a1b2-0000-7000-8000-000000000009' }))).code).toBe('not_found');
  });

  it('gives a wrong password and an unknown email the same error (their timing: login-timing.solo.test.ts)', async () => {
    const email = uniqueEmail('same-error');
    await register(email, 'the right password');
    const wrongPassword = await failure(login(email, 'the wrong password'));
    const unknownEmail = await failure(login(uniqueEmail('nobody'), 'the wrong password'));
    expect(unknownEmail.toBody()).toEqual(wrongPassword.toBody());
    expect(wrongPassword.toBody()).toEqual({ code: 'unauthenticated', message: 'Wrong email or password', details: {} });
  });

  // Waiting is what these tests are about: each sleep lets a delay the throttle set run out (polling with
  // login attempts instead would itself count against the throttle).
  const sleepSeconds = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000 + 150));

  it(`makes each attempt after ${MAX_FAILURES} failures from one address wait 1, 2, 4 s — for real and made-up emails alike`, async () => {
    const email = uniqueEmail('slowed');
    await register(email, 'the right password');
    const waits = async (target: string, ip: string) => {
      for (let attempt = 0; attempt < MAX_FAILURES; attempt += 1) expect((await failure(login(target, 'a wrong password', undefined, ip))).code).toBe('unauthenticated');
      const seen: number[] = [];
      for (let round = 0; round < 3; round += 1) {
        // Refused without checking the password, even the right one.
        const refused = await failure(login(target, 'the right password', undefined, ip));
        expect(refused.code).toBe('rate_limited');
        expect(refused.message).toMatch(/^Too many failed logins; retry in \d+ s$/);
        const wait = refused.details.retry_after_seconds as number;
        seen.push(wait);
        await sleepSeconds(wait);
        if (round < 2) expect((await failure(login(target, 'a wrong password', undefined, ip))).code).toBe('unauthenticated');
      }
      return seen;
    };
    const [real, madeUp] = await Promise.all([waits(email, '198.51.100.1'), waits(uniqueEmail('ghost'), '198.51.100.2')]);
    // The answer counts down what is left of the wait (whole seconds, rounded up): on a loaded machine the refused
    // attempt can arrive a second into a wait, so each figure is its nominal wait or one less, never more.
    const allowed = [[1], [2, 1], [4, 3]];
    for (const seen of [real, madeUp]) {
      expect(seen).toHaveLength(3);
      seen.forEach((wait, index) => expect(allowed[index]).toContain(wait));
    }
    // After the last wait the right password gets in, and clears the count.
    expect((await login(email, 'the right password', undefined, '198.51.100.1')).role).toBe('buyer');
    expect((await failure(login(email, 'a wrong password', undefined, '198.51.100.1'))).code).toBe('unauthenticated');
  });

  it("does not lock the owner out from another address with an attacker's failures", async () => {
    const email = uniqueEmail('targeted');
    await register(email, 'the right password');
    for (let attempt = 0; attempt < MAX_FAILURES + 2; attempt += 1) await failure(login(email, 'a guess', undefined, '192.0.2.66'));
    expect((await failure(login(email, 'the right password', undefined, '192.0.2.66'))).code).toBe('rate_limited');
    expect((await login(email, 'the right password', undefined, '192.0.2.10')).role).toBe('buyer');
  });

  it('counts parallel guesses too: no more than the limit are checked', async () => {
    const email = uniqueEmail('parallel');
    await register(email, 'the right password');
    const outcomes = await Promise.all(Array.from({ length: 8 }, () => failure(login(email, 'a wrong password', undefined, '198.51.100.3'))));
    const codes = outcomes.map((error) => error.code);
    expect(codes.filter((code) => code === 'unauthenticated')).toHaveLength(MAX_FAILURES);
    expect(codes.filter((code) => code === 'rate_limited')).toHaveLength(8 - MAX_FAILURES);
  });
});

describe('admins and agents', () => {
  it('creates the ADMIN_EMAIL admin on start; sign-up cannot take over its email', async () => {
    await waitUntil(async () => {
      const rows = await stack.orm.em.fork().execute<{ n: number }[]>('select count(*)::int as n from identity.users where email = ?', [ADMIN.email], 'all');
      return rows[0]?.n === 1;
    });
    await register(ADMIN.email, 'an attacker password');
    const token = await login(ADMIN.email, ADMIN.password);
    expect(token.role).toBe('admin');
    expect(verifyJwt(token.access_token, keyring).role).toBe('admin');
    expect((await failure(login(ADMIN.email, 'an attacker password'))).code).toBe('unauthenticated');
  });

  it('creates an admin or promotes a user for the operator, never promoting without a new password', async () => {
    const admins = new AdminAccounts(stack.orm);
    const email = uniqueEmail('operator');
    await expect(admins.createOrPromoteAdmin(email, undefined)).rejects.toThrow(/give a password/);
    const created = await admins.createOrPromoteAdmin(email.toUpperCase(), 'operator password 1');
    expect(created).toMatchObject({ outcome: 'created', passwordChanged: true, account: { email, role: 'admin' } });
    expect((await login(email, 'operator password 1')).role).toBe('admin');

    const buyer = uniqueEmail('promoted');
    const registered = await register(buyer, 'buyer password 12');
    // Promotion without a new password is refused and changes nothing: the account's password may be known to others.
    await expect(admins.createOrPromoteAdmin(buyer, undefined)).rejects.toMatchObject({ code: 'validation_failed' });
    expect((await login(buyer, 'buyer password 12')).role).toBe('buyer');
    const promoted = await admins.createOrPromoteAdmin(buyer, 'promoted password 1');
    expect(promoted).toMatchObject({ outcome: 'promoted', passwordChanged: true, account: { id: registered.user_id, role: 'admin' } });
    expect((await failure(login(buyer, 'buyer password 12'))).code).toBe('unauthenticated');
    expect((await login(buyer, 'promoted password 1')).role).toBe('admin');
    const again = await admins.createOrPromoteAdmin(buyer, 'new password 1234');
    expect(again).toMatchObject({ outcome: 'already_admin', passwordChanged: true });
    expect((await login(buyer, 'new password 1234')).user_id).toBe(registered.user_id);
  });

  it('exchanges a verified agent id for an agent token', async () => {
    const agent = await request<RegisteredAgent>(SUBJECTS.identity.register, { name: 'Tokened', capabilities: ['coding'] });
    const token = await request<AgentAccessToken>(SUBJECTS.identity.agentToken, { agent_id: agent.agent_id });
    expect(token).toMatchObject({ token_type: 'Bearer', expires_in: 900, role: 'agent', agent_id: agent.agent_id });
    expect(verifyJwt(token.access_token, keyring)).toMatchObject({ sub: agent.agent_id, role: 'agent' });
    const unknown = request(SUBJECTS.identity.agentToken, { agent_id: '0190a1b2-0000-7000-8000-00000000000a' });
    expect((await failure(unknown)).code).toBe('not_found');
  });
});

describe('without JWT_KEYS', () => {
  it("turns people's accounts off with a message naming JWT_KEYS, and agents keep working", async () => {
    const keyless = await start({});
    try {
      for (const attempt of [
        register(uniqueEmail('off'), 'long enough password', keyless),
        login(uniqueEmail('off'), 'long enough password', keyless),
        request(SUBJECTS.identity.agentToken, { agent_id: '0190a1b2-0000-7000-8000-00000000000b' }, keyless),
      ]) {
        const error = await failure(attempt);
        expect(error.code).toBe('unavailable');
        expect(error.message).toContain('JWT_KEYS');
      }
      const agent = await request<RegisteredAgent>(SUBJECTS.identity.register, { name: 'Keyless', capabilities: [] }, keyless);
      expect(agent.api_key).toMatch(/^agmkt_sk_/);
    } finally {
      await keyless.stop();
    }
  });

  it('refuses to build the module in production, and the identity process exits naming JWT_KEYS', async () => {
    const production = loadSettings(identitySettings, { NODE_ENV: 'production' });
    expect(() => createIdentityModule(production)).toThrow(/JWT_KEYS is required when NODE_ENV=production/);
    expect(() => createIdentityModule({ ...production, JWT_KEYS: 'k1:too-short' })).toThrow(/at least 32/);

    const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
    const child = spawn(process.execPath, [main], {
      env: { ...process.env, NODE_ENV: 'production', JWT_KEYS: '', DATABASE_URL: stack.databaseUrl, NATS_URL: stack.nats.url, LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exitCode = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    // 78 (EX_CONFIG): refused for its settings, before touching the database or the bus.
    expect(exitCode).toBe(78);
    expect(stderr).toContain('identity failed to start');
    expect(stderr).toContain('JWT_KEYS is required when NODE_ENV=production');
  });
});

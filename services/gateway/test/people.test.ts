import { describe, expect, it } from 'vitest';
import { encodeJwtParts, parseKeyring, signJwt } from '@agentmarket/auth';
import {
  SseTestClient,
  TEST_ADMIN_KEY,
  TEST_JWT_KEYS,
  eventually,
  jobAction,
  publishService,
  registerAgent,
  useTestStack,
} from '@agentmarket/testing';

const market = useTestStack();
const { api } = market;
const keyring = parseKeyring(TEST_JWT_KEYS, 'test');
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const now = () => Math.floor(Date.now() / 1000);

async function buyer(email: string) {
  const password = 'a long and private passphrase';
  const signup = await api('POST', '/api/users', { body: { email, password } });
  expect(signup.status).toBe(201);
  const login = await api('POST', '/api/auth/login', { body: { email, password } });
  expect(login.status).toBe(200);
  expect(login.body).toMatchObject({ token_type: 'Bearer', role: 'buyer' });
  return { id: signup.body.user_id as string, token: login.body.access_token as string };
}

describe('people’s accounts', () => {
  it('rejects expired, tampered, alg:none and wrong-key tokens with 401', async () => {
    const person = await buyer('checks@example.com');
    expect((await api('GET', '/api/users/me', { headers: bearer(person.token) })).status).toBe(200);
    const claims = { sub: person.id, role: 'buyer', iss: 'agentmarket', iat: now() - 100, jti: 'x' };
    const expired = signJwt({ ...claims, exp: now() - 10 }, keyring);
    const [head, body, signature] = person.token.split('.');
    const elevated = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body ?? '', 'base64url').toString()), role: 'admin' })).toString('base64url');
    const tampered = `${head}.${elevated}.${signature}`;
    const none = `${encodeJwtParts({ alg: 'none', typ: 'JWT', kid: 'test' }, { ...claims, role: 'admin', exp: now() + 600 })}.`;
    const foreign = signJwt({ ...claims, exp: now() + 600 }, parseKeyring('test:another-secret-that-is-long-enough-1234', 'test'));
    for (const [name, token] of Object.entries({ expired, tampered, none, foreign })) {
      const response = await api('GET', '/api/users/me', { headers: bearer(token) });
      expect(response.status, name).toBe(401);
      expect(response.body.error.code, name).toBe('unauthenticated');
      expect((await api('POST', '/api/admin/credit', { headers: bearer(token), body: { user_id: person.id, amount_usd: '1.00' } })).status, name).toBe(401);
    }
  });

  it('does not tell an unknown email from a wrong password', async () => {
    await buyer('known@example.com');
    const wrong = await api('POST', '/api/auth/login', { body: { email: 'known@example.com', password: 'not the password at all' } });
    const unknown = await api('POST', '/api/auth/login', { body: { email: 'nobody@example.com', password: 'not the password at all' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
  });

  it('a buyer cannot publish services or resolve disputes (403), and hires, completes and rates an agent end to end', async () => {
    const person = await buyer('buyer@example.com');
    const worker = await registerAgent(api, 'Worker for people');
    const service = await publishService(api, worker, { price_usd: '12.00' });
    const publish = await api('POST', '/api/services', {
      headers: bearer(person.token),
      body: { name: 'x', description: 'x', price_usd: '1.00', output_type: 'text' },
    });
    expect(publish.status).toBe(403);
    expect(publish.body.error.code).toBe('forbidden');

    // Money for the buyer comes from an admin's credit.
    const credit = await api('POST', '/api/admin/credit', { headers: { 'x-admin-key': TEST_ADMIN_KEY }, body: { user_id: person.id, amount_usd: '50.00' } });
    expect(credit.status).toBe(201);
    // A person's stream, opened with its Bearer token, carries its private events (the escrow of its jobs).
    const feed = await SseTestClient.connect(`${market.stack.gatewayUrl}/api/events`, bearer(person.token));
    const hired = await api('POST', '/api/jobs', { headers: bearer(person.token), body: { service_id: service.id, input_data: { text: 'for a person' } } });
    expect(hired.status).toBe(201);
    expect(hired.body).toMatchObject({ client_agent_id: null, client_user_id: person.id, status: 'pending' });
    const jobId = hired.body.id;
    const escrow = await feed.waitFor((events) => events.some((e) => e.event === 'escrow_held' && e.data.data.job_id === jobId));
    expect(escrow.find((e) => e.event === 'escrow_held')?.data.data.client_user_id).toBe(person.id);
    feed.close();
    expect((await jobAction(api, worker, jobId, 'start')).status).toBe(200);
    expect((await jobAction(api, worker, jobId, 'deliver', { artifact_type: 'text', content: 'done for you' })).status).toBe(200);
    const asBuyer = (action: string, body: unknown) => api('POST', `/api/jobs/${jobId}/${action}`, { headers: bearer(person.token), body });
    expect((await asBuyer('dispute', { reason: 'just checking the door' })).status).toBe(200);
    expect((await asBuyer('resolve', { worker_share_pct: 0, note: 'mine' })).status).toBe(403);
    const resolved = await api('POST', `/api/jobs/${jobId}/resolve`, { headers: { 'x-admin-key': TEST_ADMIN_KEY }, body: { worker_share_pct: 100, note: 'delivered' } });
    expect(resolved.status).toBe(200);

    const second = await api('POST', '/api/jobs', { headers: bearer(person.token), body: { service_id: service.id, input_data: { text: 'again' } } });
    await jobAction(api, worker, second.body.id, 'start');
    await jobAction(api, worker, second.body.id, 'deliver', { artifact_type: 'text', content: 'done again' });
    const completed = await api('POST', `/api/jobs/${second.body.id}/complete`, { headers: bearer(person.token), body: { rating: 5, review: 'great' } });
    expect(completed.status).toBe(200);
    expect(completed.body).toMatchObject({ status: 'completed', rating: 5 });

    const profile = await eventually(() => api('GET', `/api/agents/${worker.id}`), (response) => response.body.jobs_completed === 2);
    expect(Number(profile.body.reputation_score)).toBeGreaterThan(3.5);
    const wallet = await eventually(
      () => api('GET', '/api/wallet', { headers: bearer(person.token) }),
      (response) => response.body.balances?.find((b: { currency: string }) => b.currency === 'USD')?.held === '0.00',
    );
    expect(wallet.body.balances.find((b: { currency: string }) => b.currency === 'USD').available).toBe('26.00');
    const inbox = await eventually(() => api('GET', '/api/inbox', { headers: bearer(person.token) }), (response) => response.body.total >= 4);
    expect(inbox.body.messages.map((m: { message_type: string }) => m.message_type)).toContain('job_delivered');
    expect((await api('GET', '/api/jobs?role=client', { headers: bearer(person.token) })).body.data).toHaveLength(2);
  });

  it('an agent exchanges its key for a JWT that works on agent routes', async () => {
    const agent = await registerAgent(api, 'Token agent');
    const token = await api('POST', '/api/auth/token', { key: agent.key });
    expect(token.status).toBe(200);
    expect(token.body.role).toBe('agent');
    const me = await api('GET', '/api/agents/me', { headers: bearer(token.body.access_token) });
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(agent.id);
  });
});

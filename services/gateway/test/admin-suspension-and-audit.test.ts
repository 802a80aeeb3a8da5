import { describe, expect, it } from 'vitest';
import {
  TEST_ADMIN_KEY,
  aFundedClient,
  aRegisteredAgent,
  aService,
  eventually,
  hireService,
  jobAction,
  useTestStack,
} from '@agentmarket/testing';

const ADMIN = { email: 'ops@agentmarket.test', password: 'an operator passphrase' };
const market = useTestStack({ env: { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password } });
const { api } = market;
const adminKey = { 'x-admin-key': TEST_ADMIN_KEY };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function adminToken(): Promise<{ token: string; userId: string }> {
  // The admin account is created by identity on start, a moment after it is ready.
  const login = await eventually(
    () => api('POST', '/api/auth/login', { body: ADMIN }),
    (response) => response.status === 200,
  );
  return { token: login.body.access_token as string, userId: login.body.user_id as string };
}

const servicesOf = async (agentId: string) => (await api('GET', `/api/services?agent_id=${agentId}&include_inactive=true`)).body.data as { id: string }[];

describe('suspension', () => {
  it('stops hires of a suspended agent’s services well within the 10 s that jobs caches service terms, and for good', async () => {
    const worker = await aRegisteredAgent(api);
    const service = await aService(api, worker);
    const client = await aFundedClient(api);
    // A first hire puts the service's terms in jobs' cache.
    await hireService(api, client, service.id);
    const suspendedAt = Date.now();
    expect((await api('POST', `/api/admin/agents/${worker.id}/suspend`, { headers: adminKey, body: { reason: 'fraud' } })).status).toBe(200);
    const hire = () => api('POST', '/api/jobs', { key: client.key, body: { service_id: service.id, input_data: { text: 'again' } } });
    const refused = await eventually(hire, (response) => response.status !== 201, 5_000);
    expect(refused.status).toBe(404);
    expect(Date.now() - suspendedAt).toBeLessThan(5_000);
    // No stale answer is cached behind the suspension: every later hire is refused too.
    for (let attempt = 0; attempt < 5; attempt++) expect((await hire()).status).toBe(404);
  });

  it('refuses a suspended agent on its key and its JWT (403 suspended), takes its services out of search, and leaves its running job alone', async () => {
    const worker = await aRegisteredAgent(api);
    const service = await aService(api, worker);
    const client = await aFundedClient(api);
    const job = await hireService(api, client, service.id);
    expect((await jobAction(api, worker, job.id, 'start')).status).toBe(200);
    const token = (await api('POST', '/api/auth/token', { key: worker.key })).body.access_token as string;
    expect((await servicesOf(worker.id)).map((s) => s.id)).toEqual([service.id]);

    const suspended = await api('POST', `/api/admin/agents/${worker.id}/suspend`, { headers: adminKey, body: { reason: 'wash trading' } });
    expect(suspended.status).toBe(200);
    expect(suspended.body).toMatchObject({ agent_id: worker.id, suspended: true, reason: 'wash trading' });

    for (const [name, options] of Object.entries({ key: { key: worker.key }, jwt: { headers: bearer(token) } })) {
      const me = await api('GET', '/api/agents/me', options);
      expect(me.status, name).toBe(403);
      expect(me.body.error.code, name).toBe('suspended');
      expect((await api('GET', '/api/wallet', options)).status, name).toBe(403);
      expect((await api('GET', `/api/jobs/${job.id}`, options)).status, name).toBe(403);
    }
    expect((await api('POST', '/api/auth/token', { key: worker.key })).body.error.code).toBe('suspended');

    // The catalog follows the agent's suspension event: search, listing and the public view drop its services.
    await eventually(() => servicesOf(worker.id), (services) => services.length === 0);
    expect((await api('GET', `/api/services/${service.id}`)).status).toBe(404);
    const asAdmin = await api('GET', `/api/services/${service.id}`, { headers: adminKey });
    expect(asAdmin.status).toBe(200);
    expect(asAdmin.body.suspended).toBe(true);

    // Running jobs continue to their end: the suspension does not touch the job or its escrow.
    const seen = await api('GET', `/api/jobs/${job.id}`, { key: client.key });
    expect(seen.status).toBe(200);
    expect(seen.body.status).toBe('in_progress');

    const lifted = await api('POST', `/api/admin/agents/${worker.id}/unsuspend`, { headers: adminKey });
    expect(lifted.status).toBe(200);
    expect(lifted.body.suspended).toBe(false);
    expect((await api('GET', '/api/agents/me', { key: worker.key })).status).toBe(200);
    await eventually(() => servicesOf(worker.id), (services) => services.length === 1);
  });

  it('hides a suspended service from everyone but its owner and admins, and refuses hires of it', async () => {
    const worker = await aRegisteredAgent(api);
    const service = await aService(api, worker);
    const client = await aFundedClient(api);
    const suspended = await api('POST', `/api/admin/services/${service.id}/suspend`, { headers: adminKey, body: { reason: 'misleading' } });
    expect(suspended.status).toBe(200);
    expect(suspended.body).toMatchObject({ service_id: service.id, suspended: true, reason: 'misleading' });

    expect(await servicesOf(worker.id)).toEqual([]);
    expect((await api('GET', `/api/services/${service.id}`)).status).toBe(404);
    expect((await api('GET', `/api/services/${service.id}`, { key: client.key })).status).toBe(404);
    const asOwner = await api('GET', `/api/services/${service.id}`, { key: worker.key });
    expect(asOwner.status).toBe(200);
    expect(asOwner.body.suspended).toBe(true);
    const hire = await api('POST', '/api/jobs', { key: client.key, body: { service_id: service.id, input_data: { text: 'hi' } } });
    expect(hire.status).toBe(404);

    expect((await api('POST', `/api/admin/services/${service.id}/unsuspend`, { headers: adminKey, body: { reason: 'fixed' } })).status).toBe(200);
    expect((await servicesOf(worker.id)).map((s) => s.id)).toEqual([service.id]);
  });

  it('lets only admins suspend', async () => {
    const agent = await aRegisteredAgent(api);
    const other = await aRegisteredAgent(api);
    const byAgent = await api('POST', `/api/admin/agents/${other.id}/suspend`, { key: agent.key, body: { reason: 'no' } });
    expect(byAgent.status).toBe(403);
    expect((await api('POST', `/api/admin/agents/${other.id}/suspend`, { body: { reason: 'no' } })).status).toBe(401);
    expect((await api('GET', '/api/agents/me', { key: other.key })).status).toBe(200);
  });
});

describe('the audit trail', () => {
  it('records credit, resolve and suspend with the acting admin, newest first, paged by cursor', async () => {
    const admin = await adminToken();
    const worker = await aRegisteredAgent(api);
    const service = await aService(api, worker);
    const client = await aFundedClient(api);

    // A credit by the admin's JWT.
    const credit = await api('POST', '/api/admin/credit', { headers: bearer(admin.token), body: { agent_id: client.id, amount_usd: '12.34', note: 'goodwill' } });
    expect(credit.status).toBe(201);
    // A resolution by the admin key.
    const job = await hireService(api, client, service.id);
    expect((await jobAction(api, worker, job.id, 'start')).status).toBe(200);
    expect((await jobAction(api, worker, job.id, 'deliver', { artifact_type: 'text', content: 'half' })).status).toBe(200);
    expect((await jobAction(api, client, job.id, 'dispute', { reason: 'half missing' })).status).toBe(200);
    const resolved = await api('POST', `/api/jobs/${job.id}/resolve`, { headers: adminKey, body: { worker_share_pct: 50, note: 'half delivered' } });
    expect(resolved.status).toBe(200);
    // A suspension by the admin's JWT.
    expect((await api('POST', `/api/admin/agents/${worker.id}/suspend`, { headers: bearer(admin.token), body: { reason: 'audit me' } })).status).toBe(200);

    type Entry = { id: string; admin: string; action: string; target: { type: string; id: string }; details: Record<string, unknown>; at: string };
    const audit = await eventually(
      async () => (await api('GET', '/api/admin/audit?limit=100', { headers: adminKey })).body.data as Entry[],
      (entries) => ['credit', 'resolve', 'suspend_agent'].every((action) => entries?.some((entry) => entry.action === action && JSON.stringify(entry).includes(action === 'credit' ? client.id : action === 'resolve' ? job.id : worker.id))),
    );
    const find = (action: string, targetId: string) => audit.find((entry) => entry.action === action && entry.target.id === targetId);
    expect(find('credit', client.id)).toMatchObject({ admin: admin.userId, target: { type: 'agent' }, details: { currency: 'USD', amount: 1234, note: 'goodwill' } });
    expect(find('resolve', job.id)).toMatchObject({ admin: 'admin-key', target: { type: 'job' }, details: { worker_share_pct: 50 } });
    expect(find('suspend_agent', worker.id)).toMatchObject({ admin: admin.userId, target: { type: 'agent' }, details: { reason: 'audit me' } });
    // Starter grants are credits by no one: not admin actions.
    expect(audit.some((entry) => entry.action === 'credit' && entry.target.id === worker.id)).toBe(false);

    // Paged by cursor, newest first, no gaps or repeats.
    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { data: Entry[]; next_cursor: string | null } } = await api('GET', `/api/admin/audit?limit=1${cursor ? `&cursor=${cursor}` : ''}`, { headers: bearer(admin.token) });
      expect(page.status).toBe(200);
      walked.push(...(page.body.data as Entry[]).map((entry) => entry.id));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(walked).toEqual(audit.map((entry) => entry.id));
    expect([...walked].sort().reverse()).toEqual(walked);

    expect((await api('GET', '/api/admin/audit', { key: client.key })).status).toBe(403);
    expect((await api('GET', '/api/admin/audit?cursor=forged')).status).toBe(401);
    expect((await api('GET', '/api/admin/audit?cursor=forged', { headers: adminKey })).status).toBe(400);
  });
});

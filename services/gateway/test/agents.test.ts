import { describe, expect, it } from 'vitest';
import { SseTestClient, registerAgent, useTestStack } from '@agentmarket/testing';

const market = useTestStack();
const { api } = market;

describe('agents through the gateway', () => {
  it('registers an agent, shows its profile, and streams agent_registered', async () => {
    const feed = await SseTestClient.connect(`${market.stack.gatewayUrl}/api/events`);
    const registered = await api('POST', '/api/agents', {
      body: { name: 'Coder', capabilities: ['coding', 'testing'], description: 'writes code' },
    });
    expect(registered.status).toBe(201);
    expect(registered.body.api_key).toMatch(/^agmkt_sk_[0-9a-f]{64}$/);
    expect(registered.body).toMatchObject({ name: 'Coder' });
    const id = registered.body.agent_id;

    const profile = await api('GET', `/api/agents/${id}`);
    expect(profile.status).toBe(200);
    expect(profile.body).toEqual({
      id,
      name: 'Coder',
      description: 'writes code',
      capabilities: ['coding', 'testing'],
      status: 'available',
      reputation_score: '0.00',
      jobs_completed: 0,
      success_rate: null,
      on_time_rate: null,
      total_earned: '0.00',
      total_earned_sats: 0,
      client_rating: null,
      client_jobs_rated: 0,
      a2a_url: null,
      created_at: registered.body.created_at,
    });
    expect(profile.body).not.toHaveProperty('api_key');

    const events = await feed.waitFor((all) => all.some((e) => e.event === 'agent_registered' && e.data.aggregate_id === id));
    const event = events.find((e) => e.data.aggregate_id === id);
    expect(Number(event?.id)).toBeGreaterThan(0);
    expect(event?.data.data.agent.name).toBe('Coder');
    feed.close();
  });

  it('serves /me, updates profile and status, and emits agent_updated', async () => {
    const agent = await registerAgent(api, 'Updater');
    const me = await api('GET', '/api/agents/me', { key: agent.key });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: agent.id, jobs_hired: 0, total_spent: '0.00' });
    expect(me.body.last_seen_at).not.toBeNull();

    const patched = await api('PATCH', '/api/agents/me', { key: agent.key, body: { description: 'new', capabilities: ['x'] } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ description: 'new', capabilities: ['x'] });

    // Read the public profile first so the gateway caches it; the write below must still show at once.
    expect((await api('GET', `/api/agents/${agent.id}`)).body.status).toBe('available');
    const status = await api('PUT', '/api/agents/me/status', { key: agent.key, body: { status: 'busy' } });
    expect(status.status).toBe(200);
    expect(status.body.status).toBe('busy');
    expect((await api('GET', `/api/agents/${agent.id}`)).body.status).toBe('busy');
  });

  it('lists agents with filters and cursor pagination, without gaps or repeats', async () => {
    const names = ['PageA', 'PageB', 'PageC', 'PageD', 'PageE'];
    for (const name of names) await registerAgent(api, name, ['paging']);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/api/agents?capability=paging&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await api('GET', query);
      expect(page.status).toBe(200);
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.data.map((agent: { name: string }) => agent.name));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual([...names].reverse());

    const search = await api('GET', '/api/agents?q=pagec');
    expect(search.body.data.map((agent: { name: string }) => agent.name)).toEqual(['PageC']);
    const byReputation = await api('GET', '/api/agents?capability=paging&sort=reputation&limit=3');
    expect(byReputation.body.data).toHaveLength(3);
    expect(byReputation.body.next_cursor).not.toBeNull();
  });

  it('rejects a rotated key at once and accepts the new one', async () => {
    const agent = await registerAgent(api, 'Rotator');
    expect((await api('GET', '/api/agents/me', { key: agent.key })).status).toBe(200);
    const rotated = await api('POST', '/api/agents/me/keys', { key: agent.key });
    expect(rotated.status).toBe(201);
    expect(rotated.body.api_key).not.toBe(agent.key);
    const old = await api('GET', '/api/agents/me', { key: agent.key });
    expect(old.status).toBe(401);
    expect(old.body.error.code).toBe('unauthenticated');
    expect((await api('GET', '/api/agents/me', { key: rotated.body.api_key })).status).toBe(200);
  });

  it('answers 404 for an unknown agent and for unknown routes', async () => {
    const missing = await api('GET', '/api/agents/01a1fcca-1439-751b-9b50-a36b016ffd1d');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
    expect((await api('GET', '/api/nothing-here')).status).toBe(404);
  });
});

describe('bad input never writes and never 500s', () => {
  const count = async () => (await api('GET', '/api/agents?limit=100')).body.data.length as number;

  it.each([
    ['malformed JSON', { rawBody: '{"name":' }, 400, 'validation_failed'],
    ['wrong types', { body: { name: 5, capabilities: 'x' } }, 400, 'validation_failed'],
    ['unknown fields', { body: { name: 'A', capabilities: [], admin: true } }, 400, 'validation_failed'],
    ['missing body', {}, 400, 'validation_failed'],
    ['empty name', { body: { name: ' ', capabilities: [] } }, 400, 'validation_failed'],
    ['oversize body', { body: { name: 'x'.repeat(70_000), capabilities: [] } }, 413, 'payload_too_large'],
    ['not JSON', { rawBody: 'name=x', headers: { 'content-type': 'text/plain' } }, 415, 'unsupported_media_type'],
  ])('%s → %i %s', async (_label, options, status, code) => {
    const before = await count();
    const response = await api('POST', '/api/agents', options);
    expect(response.status).toBe(status);
    expect(response.body.error.code).toBe(code);
    expect(typeof response.body.error.message).toBe('string');
    expect(response.body.error.details).toBeTypeOf('object');
    expect(await count()).toBe(before);
  });

  it('names each bad field', async () => {
    const response = await api('POST', '/api/agents', { body: { name: 5, capabilities: 'x', extra: 1 } });
    expect(response.body.error.details).toEqual({
      'body.name': expect.any(String),
      'body.capabilities': expect.any(String),
      'body.extra': 'unknown field',
    });
  });

  it.each([
    ['missing key', undefined],
    ['garbage key', 'garbage'],
    ['well-formed unknown key', `agmkt_sk_${'0'.repeat(64)}`],
  ])('%s → 401 unauthenticated', async (_label, key) => {
    const response = await api('PATCH', '/api/agents/me', { key, body: { description: 'hijack' } });
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('unauthenticated');
  });

  it('rejects bad query parameters', async () => {
    for (const query of ['limit=0', 'limit=101', 'limit=abc', 'sort=name', 'cursor=%%%', 'status=sleeping', 'bogus=1']) {
      const response = await api('GET', `/api/agents?${query}`);
      expect(response.status, query).toBe(400);
      expect(response.body.error.code, query).toBe('validation_failed');
    }
  });
});

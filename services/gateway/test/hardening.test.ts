import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hireService, publishService, registerAgent, useTestStack, waitUntilDrained, type TestAgent } from '@agentmarket/testing';

const market = useTestStack();
const { api } = market;
let db: pg.Client;
let client: TestAgent;
let worker: TestAgent;
let serviceId: string;
let jobId: string;

beforeAll(async () => {
  db = new pg.Client({ connectionString: market.stack.databaseUrl });
  await db.connect();
  [client, worker] = await Promise.all([registerAgent(api, 'Hardening client'), registerAgent(api, 'Hardening worker')]);
  serviceId = (await publishService(api, worker, { max_concurrent: 100 })).id;
  jobId = (await hireService(api, client, serviceId)).id;
});
afterAll(async () => db?.end());

/** Rows in the tables a rejected request must not touch. */
async function marketCounts(): Promise<Record<string, number>> {
  const { rows } = await db.query<Record<string, number>>(`select
    (select count(*)::int from identity.agents) as agents,
    (select count(*)::int from catalog.services) as services,
    (select count(*)::int from jobs.jobs) as jobs,
    (select count(*)::int from jobs.deliverables) as deliverables,
    (select count(*)::int from messaging.messages) as messages,
    (select count(*)::int from jobs.tasks) as tasks`);
  return rows[0] ?? {};
}

const expectValidationError = (response: { status: number; body: any }, field: string) => {
  expect(response.status, JSON.stringify(response.body)).toBe(400);
  expect(response.body.error.code).toBe('validation_failed');
  expect(Object.keys(response.body.error.details)).toContain(field);
};

describe('replies are bounded by the bus max_payload', () => {
  it('pages 60 agents of about 22 KB each in shorter pages, without gaps or repeats, and identity stays up', async () => {
    // Legal text that is large on the wire: 3-byte characters fill every field to its limit.
    const wide = (length: number) => '€'.repeat(length);
    const capabilities = Array.from({ length: 50 }, (_, i) => `${wide(60)}${String(i).padStart(4, '0')}`);
    const names = Array.from({ length: 60 }, (_, i) => `Padded ${i} ${wide(80)}`);
    for (let i = 0; i < names.length; i += 10) {
      const batch = await Promise.all(
        names.slice(i, i + 10).map((name) => api('POST', '/api/agents', { body: { name, capabilities, description: wide(4000) } })),
      );
      for (const response of batch) expect(response.status, JSON.stringify(response.body)).toBe(201);
    }

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `/api/agents?limit=100&capability=${encodeURIComponent(capabilities[0] ?? '')}${cursor ? `&cursor=${cursor}` : ''}`;
      const page: { status: number; body: { data: { id: string }[]; next_cursor: string | null } } = await api('GET', query);
      expect(page.status, JSON.stringify(page.body).slice(0, 300)).toBe(200);
      seen.push(...page.body.data.map((agent) => agent.id));
      cursor = page.body.next_cursor;
      pages++;
    } while (cursor && pages < 20);
    expect(pages).toBeGreaterThan(1);
    expect(seen).toHaveLength(60);
    expect(new Set(seen).size).toBe(60);
    expect((await api('GET', '/readyz')).status).toBe(200);
    expect((await api('GET', '/api/agents/me', { key: client.key })).status).toBe(200);
  });
});

describe('a job stays readable', () => {
  it('refuses a delivery that would take the job past 640 KiB of deliverables with 413, and the job reads back whole', async () => {
    const roomy = await publishService(api, worker, { name: 'Roomy', max_revisions: 20 });
    const job = await hireService(api, client, roomy.id);
    expect((await api('POST', `/api/jobs/${job.id}/start`, { key: worker.key })).status).toBe(200);
    const content = 'x'.repeat(60_000);
    let refused;
    for (let delivery = 1; delivery <= 12 && !refused; delivery++) {
      const delivered = await api('POST', `/api/jobs/${job.id}/deliver`, { key: worker.key, body: { artifact_type: 'text', content } });
      if (delivered.status === 413) refused = { delivery, body: delivered.body };
      else {
        expect(delivered.status, JSON.stringify(delivered.body).slice(0, 200)).toBe(200);
        expect((await api('POST', `/api/jobs/${job.id}/request-revision`, { key: client.key, body: { feedback: 'more' } })).status).toBe(200);
      }
    }
    expect(refused?.delivery).toBe(11);
    expect(refused?.body.error.code).toBe('payload_too_large');
    const read = await api('GET', `/api/jobs/${job.id}`, { key: client.key });
    expect(read.status).toBe(200);
    expect(read.body.deliverables).toHaveLength(10);
    expect(read.body.status).toBe('revision_requested');
  });
});

describe('races', () => {
  it('answers concurrent deliveries of one job with one 200 and 409s, never a 500', async () => {
    for (let round = 0; round < 3; round++) {
      const job = await hireService(api, client, serviceId);
      expect((await api('POST', `/api/jobs/${job.id}/start`, { key: worker.key })).status).toBe(200);
      const answers = await Promise.all(
        Array.from({ length: 6 }, (_, i) => api('POST', `/api/jobs/${job.id}/deliver`, { key: worker.key, body: { artifact_type: 'text', content: `take ${i}` } })),
      );
      const statuses = answers.map((answer) => answer.status).sort();
      expect(statuses.filter((status) => status === 200)).toHaveLength(1);
      expect(statuses.filter((status) => status !== 200 && status !== 409)).toEqual([]);
    }
  });
});

describe('text hygiene at the edge', () => {
  const hostile = ['a\u0000b', 'a\ud800b', 'a\u001bb', '\udc00'];

  it('answers 400 naming the field for NUL, lone surrogates and control characters in every text field, and changes nothing', async () => {
    // The earlier tests' transitions still add inbox messages asynchronously: count once they are all applied.
    await waitUntilDrained(market.stack);
    const before = await marketCounts();
    const cases: [string, string, (text: string) => unknown, string, string?][] = [
      ['POST', '/api/agents', (text) => ({ name: text, capabilities: ['x'] }), 'body.name'],
      ['POST', '/api/agents', (text) => ({ name: 'ok', capabilities: [text] }), 'body.capabilities.0'],
      ['POST', '/api/agents', (text) => ({ name: 'ok', capabilities: [], description: text }), 'body.description'],
      ['PATCH', '/api/agents/me', (text) => ({ description: text }), 'body.description', client.key],
      ['POST', '/api/services', (text) => ({ name: text, description: 'd', price_usd: '1.00', output_type: 'text' }), 'body.name', worker.key],
      ['POST', '/api/services', (text) => ({ name: 'n', description: text, price_usd: '1.00', output_type: 'text' }), 'body.description', worker.key],
      ['POST', '/api/jobs', (text) => ({ service_id: serviceId, input_data: { text } }), 'body.input_data.text', client.key],
      ['POST', '/api/jobs', (text) => ({ service_id: serviceId, input_data: { [text]: 'v' } }), 'body.input_data.?', client.key],
      ['POST', '/api/jobs', (text) => ({ service_id: serviceId, title: text, input_data: {} }), 'body.title', client.key],
      ['POST', `/api/jobs/${jobId}/messages`, (text) => ({ content: text }), 'body.content', client.key],
      ['POST', `/api/jobs/${jobId}/deliver`, (text) => ({ artifact_type: 'text', content: text }), 'body.content', worker.key],
      ['POST', `/api/jobs/${jobId}/complete`, (text) => ({ rating: 5, review: text }), 'body.review', client.key],
      ['POST', '/api/tasks', (text) => ({ title: text, description: 'd', capabilities_required: ['testing'], budget_usd: '5.00' }), 'body.title', client.key],
    ];
    for (const [method, path, body, field, key] of cases) {
      for (const text of hostile) expectValidationError(await api(method, path, { body: body(text), key }), field);
    }
    // A query string carries bytes: a lone surrogate cannot be percent-encoded as UTF-8 (it arrives as U+FFFD), so NUL and controls here.
    for (const text of ['a\u0000b', 'a\u001bb', '\u0001']) {
      const q = encodeURIComponent(text);
      expectValidationError(await api('GET', `/api/services?q=${q}`), 'query.q');
      expectValidationError(await api('GET', `/api/services?capability=${q}`), 'query.capability');
      expectValidationError(await api('GET', `/api/agents?capability=${q}`), 'query.capability');
    }
    expect(await marketCounts()).toEqual(before);
  });

  it('answers 400 for JSON nested deeper than 32 levels, and accepts 32', async () => {
    const nested = (levels: number) => {
      let value: unknown = 'leaf';
      for (let i = 0; i < levels; i++) value = { a: value };
      return value;
    };
    const deep = await api('POST', '/api/jobs', { key: client.key, body: { service_id: serviceId, input_data: nested(40) } });
    expect(deep.status).toBe(400);
    expect(JSON.stringify(deep.body.error.details)).toMatch(/deeper than 32/);
    const fine = await api('POST', '/api/jobs', { key: client.key, body: { service_id: serviceId, input_data: { text: nested(30) } } });
    expect(fine.status, JSON.stringify(fine.body)).toBe(201);
  });

  it('takes an empty body sent with Content-Type: application/json as no body on an action whose body is optional', async () => {
    const job = await hireService(api, client, serviceId);
    const started = await api('POST', `/api/jobs/${job.id}/start`, { key: worker.key, rawBody: '' });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    expect(started.body.status).toBe('in_progress');
    const malformed = await api('POST', `/api/jobs/${job.id}/fail`, { key: worker.key, rawBody: '{"reason":' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('validation_failed');
  });

  it('refuses a JSON null or a whitespace-only body on such an action, and the job does not move', async () => {
    const job = await hireService(api, client, serviceId);
    for (const rawBody of ['null', ' ', '\n']) {
      const response = await api('POST', `/api/jobs/${job.id}/cancel`, { key: client.key, rawBody });
      expect(response.status, `${JSON.stringify(rawBody)}: ${JSON.stringify(response.body)}`).toBe(400);
      expect(response.body.error.code).toBe('validation_failed');
    }
    expect((await api('GET', `/api/jobs/${job.id}`, { key: client.key })).body.status).toBe('pending');
  });

  it('answers URLs that are not valid percent-encoding, overlong ids and oversized headers in the documented shape', async () => {
    for (const path of ['/api/jobs/%', '/api/jobs/%zz', '/api/jobs/%ED%A0%80', `/api/jobs/${'a'.repeat(2000)}`]) {
      const response = await api('GET', path, { key: client.key });
      expect(response.status, path.slice(0, 40)).toBe(400);
      expect(response.body.error.code).toBe('validation_failed');
    }
    const huge = await api('GET', `/api/agents?q=${'a'.repeat(20_000)}`, { headers: { 'x-padding': 'b'.repeat(20_000) } });
    expect(huge.status).toBe(431);
    expect(huge.body.error.code).toBe('payload_too_large');
    expect((await api('GET', '/healthz')).status).toBe(200);
  });

  it('keeps an oversize body at 413 with the gateway up', async () => {
    const huge = await api('POST', '/api/agents', { body: { name: 'big', capabilities: [], description: 'x'.repeat(70_000) } });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('payload_too_large');
    expect((await api('GET', '/healthz')).status).toBe(200);
  });
});

describe('one cursor codec', () => {
  const forged = [
    'garbage',
    Buffer.from('[1,2,3]').toString('base64url'),
    Buffer.from(JSON.stringify(['x', "1' or '1'='1"])).toString('base64url'),
    Buffer.from(JSON.stringify(['0192f5a4-0000-7000-8000-000000000000', 'not-a-uuid'])).toString('base64url'),
    Buffer.from(JSON.stringify(['1e999', '0192f5a4-0000-7000-8000-000000000000'])).toString('base64url'),
  ];

  it('refuses a genuine cursor of one list on another', async () => {
    const agents = await api('GET', '/api/agents?limit=1');
    expect(agents.body.next_cursor).toBeTruthy();
    for (const path of ['/api/jobs', '/api/inbox', '/api/wallet/transactions']) {
      const response = await api('GET', `${path}?cursor=${agents.body.next_cursor}`, { key: client.key });
      expect(response.status, path).toBe(400);
    }
    expect((await api('GET', `/api/activity?cursor=${agents.body.next_cursor}`)).status).toBe(400);
    expect((await api('GET', `/api/agents?sort=reputation&cursor=${agents.body.next_cursor}`)).status).toBe(400);
  });

  it('answers 400 to a forged cursor on every list', async () => {
    const lists: [string, string?][] = [
      ['/api/agents'],
      ['/api/agents?sort=reputation'],
      ['/api/agents?sort=jobs_completed'],
      ['/api/services'],
      ['/api/services?sort=price'],
      ['/api/jobs', client.key],
      ['/api/inbox', client.key],
      [`/api/jobs/${jobId}/messages`, client.key],
      ['/api/activity'],
      ['/api/wallet/transactions', client.key],
    ];
    for (const [path, key] of lists) {
      for (const cursor of forged) {
        const separator = path.includes('?') ? '&' : '?';
        const response = await api('GET', `${path}${separator}cursor=${encodeURIComponent(cursor)}`, { key });
        expect(response.status, `${path} ${cursor}: ${JSON.stringify(response.body)}`).toBe(400);
        expect(response.body.error.code).toBe('validation_failed');
      }
    }
  });
});

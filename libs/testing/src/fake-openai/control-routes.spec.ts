import OpenAI, { InternalServerError, RateLimitError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAi } from './server.ts';
import type { FakeOpenAi } from './types.ts';

describe('the fake OpenAI control routes', () => {
  let fake: FakeOpenAi;
  let control: string;
  let client: OpenAI;

  beforeAll(async () => {
    fake = await startFakeOpenAi();
    control = fake.url.replace(/\/v1$/, '/_fake');
    client = new OpenAI({ baseURL: fake.url, apiKey: 'x', maxRetries: 0, timeout: 5_000 });
  });
  afterAll(async () => {
    await fake.stop();
  });

  async function post(path: string, body?: unknown) {
    const response = await fetch(`${control}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body === undefined ? '' : JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  const stats = async () => (await (await fetch(`${control}/stats`)).json()) as Record<string, number>;
  const ask = () => client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] });

  it('steers the next answers and the default over HTTP, and reports stats', async () => {
    const set = await post('/behaviours', {
      queue: [{ kind: 'rate_limited', retryAfterSeconds: 2 }, { kind: 'ok', content: 'queued' }],
      default: { kind: 'server_error', status: 502 },
    });
    expect(set).toEqual({ status: 200, body: { queue: 2, default: { kind: 'server_error', status: 502 } } });
    expect(await stats()).toMatchObject({ requests: 0, max_concurrent: 0, queue: 2 });

    const limited = await ask().catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(RateLimitError);
    expect((limited as RateLimitError).headers.get('retry-after')).toBe('2');
    expect((await ask()).choices[0]?.message.content).toBe('queued');
    const failed = await ask().catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(InternalServerError);
    expect((failed as InternalServerError).status).toBe(502);
    expect(await stats()).toEqual({ requests: 3, max_concurrent: 1, queue: 0, in_flight: 0 });

    const reset = await post('/reset');
    expect(reset).toEqual({ status: 200, body: { requests: 0, max_concurrent: 0, queue: 0, in_flight: 0 } });
    expect((await ask()).choices[0]?.message.content).toBe('Fake answer to: hi');
  });

  it('rejects an invalid behaviour without applying any of the request', async () => {
    await post('/reset');
    const rejected = await post('/behaviours', { queue: [{ kind: 'hang' }, { kind: 'rate_limited' }] });
    expect(rejected.status).toBe(400);
    expect(rejected.body['error']).toMatchObject({ type: 'invalid_request_error', param: 'queue[1]' });
    expect((await post('/behaviours', { default: { kind: 'nope' } })).status).toBe(400);
    expect((await post('/behaviours', { queue: 'hang' })).status).toBe(400);
    expect((await stats()).queue).toBe(0);
  });

  it('answers an unknown control route with 404', async () => {
    const response = await fetch(`${control}/nothing`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { message: 'Invalid URL (GET /_fake/nothing)', type: 'invalid_request_error', param: null, code: null } });
  });
});

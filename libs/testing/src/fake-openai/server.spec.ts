import OpenAI, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  RateLimitError,
} from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startFakeOpenAi } from './server.ts';
import type { FakeOpenAi } from './types.ts';

function sdk(fake: FakeOpenAi, options: { apiKey?: string; timeout?: number } = {}): OpenAI {
  return new OpenAI({ baseURL: fake.url, apiKey: options.apiKey ?? 'x', maxRetries: 0, timeout: options.timeout ?? 5_000 });
}

function ask(client: OpenAI, text = 'What is 2+2?', extra: { max_tokens?: number } = {}) {
  return client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: text }], ...extra });
}

/** The rejection of a promise that must reject. */
async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('the request should have failed'),
    (error: unknown) => error,
  );
}

async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  await vi.waitFor(
    async () => {
      if (!(await condition())) throw new Error(`timed out waiting for ${what}`);
    },
    { timeout: 2_000, interval: 5 },
  );
}

describe('the fake OpenAI server, through the official SDK', () => {
  let fake: FakeOpenAi;
  let client: OpenAI;

  beforeAll(async () => {
    fake = await startFakeOpenAi({ port: 0 });
    client = sdk(fake);
  });
  afterAll(async () => {
    await fake.stop();
  });
  beforeEach(() => {
    fake.reset();
  });

  it('answers a chat completion that the SDK parses, with usage, and records the request', async () => {
    const completion = await client.chat.completions.create({
      model: 'gpt-test',
      messages: [
        { role: 'system', content: 'Be brief' },
        { role: 'user', content: 'What is 2+2?' },
      ],
    });
    expect(fake.url).toBe(`http://127.0.0.1:${fake.port}/v1`);
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(completion.object).toBe('chat.completion');
    expect(completion.model).toBe('gpt-test');
    expect(completion.choices).toHaveLength(1);
    expect(completion.choices[0]?.message).toMatchObject({ role: 'assistant', content: 'Fake answer to: What is 2+2?' });
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    // ceil(8/4) + ceil(12/4) prompt tokens, ceil(28/4) completion tokens
    expect(completion.usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 });
    expect(completion._request_id).toMatch(/^req_/);
    expect(fake.requests).toEqual([
      {
        at: expect.any(Number),
        model: 'gpt-test',
        messages: [
          { role: 'system', content: 'Be brief' },
          { role: 'user', content: 'What is 2+2?' },
        ],
        authorization: 'Bearer x',
        behaviour: 'ok',
      },
    ]);
  });

  it('answers with the content it was given', async () => {
    fake.enqueue({ kind: 'ok', content: 'A haiku about the sea' });
    const completion = await ask(client);
    expect(completion.choices[0]?.message.content).toBe('A haiku about the sea');
    expect(completion.usage?.completion_tokens).toBe(6);
  });

  it('cuts the answer at max_tokens and says so in finish_reason', async () => {
    const completion = await ask(client, 'hello', { max_tokens: 2 });
    expect(completion.choices[0]?.message.content).toBe('Fake ans');
    expect(completion.choices[0]?.finish_reason).toBe('length');
    expect(completion.usage?.completion_tokens).toBe(2);
  });

  it('applies the latency of a behaviour', async () => {
    fake.enqueue({ kind: 'ok', latencyMs: 300 });
    const started = performance.now();
    await ask(client);
    expect(performance.now() - started).toBeGreaterThanOrEqual(295);
    const quick = performance.now();
    await ask(client);
    expect(performance.now() - quick).toBeLessThan(250);
  });

  it('turns 429 into a RateLimitError whose Retry-After header the caller can read', async () => {
    fake.enqueue({ kind: 'rate_limited', retryAfterSeconds: 3 });
    const error = await failure(ask(client));
    expect(error).toBeInstanceOf(RateLimitError);
    const rateLimit = error as RateLimitError;
    expect(rateLimit.status).toBe(429);
    expect(rateLimit.headers.get('retry-after')).toBe('3');
    expect(rateLimit.code).toBe('rate_limit_exceeded');
    expect(rateLimit.type).toBe('rate_limit_exceeded');
  });

  it('turns insufficient_quota into a 429 error whose code says so, without Retry-After', async () => {
    fake.enqueue({ kind: 'insufficient_quota' });
    const error = await failure(ask(client));
    expect(error).toBeInstanceOf(RateLimitError);
    const quota = error as RateLimitError;
    expect(quota.code).toBe('insufficient_quota');
    expect(quota.type).toBe('insufficient_quota');
    expect(quota.headers.get('retry-after')).toBeNull();
  });

  it('turns 500 and other 5xx into InternalServerError', async () => {
    fake.enqueue({ kind: 'server_error' }, { kind: 'server_error', status: 503 });
    const first = await failure(ask(client));
    expect(first).toBeInstanceOf(InternalServerError);
    expect((first as InternalServerError).status).toBe(500);
    expect((first as InternalServerError).type).toBe('server_error');
    const second = await failure(ask(client));
    expect(second).toBeInstanceOf(InternalServerError);
    expect((second as InternalServerError).status).toBe(503);
  });

  it('turns bad_request and unauthorized into BadRequestError and AuthenticationError', async () => {
    fake.enqueue({ kind: 'bad_request' }, { kind: 'unauthorized' });
    const badRequest = await failure(ask(client));
    expect(badRequest).toBeInstanceOf(BadRequestError);
    expect((badRequest as BadRequestError).type).toBe('invalid_request_error');
    const unauthorized = await failure(ask(client));
    expect(unauthorized).toBeInstanceOf(AuthenticationError);
    expect((unauthorized as AuthenticationError).code).toBe('invalid_api_key');
  });

  it('sends a malformed body that the SDK cannot parse', async () => {
    fake.enqueue({ kind: 'malformed' });
    const error = await failure(ask(client));
    expect(error).toBeInstanceOf(SyntaxError);
    expect(error).not.toBeInstanceOf(APIError);
  });

  it('hangs until the SDK times out, and lets go of the request when the client does', async () => {
    fake.enqueue({ kind: 'hang' });
    const started = performance.now();
    const error = await failure(ask(sdk(fake, { timeout: 300 })));
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect(performance.now() - started).toBeGreaterThanOrEqual(295);
    expect(fake.requests.map((request) => request.behaviour)).toEqual(['hang']);
    await until(() => fake.maxConcurrent === 1, 'the hanging request to count');
    const inFlight = async () => ((await (await fetch(fake.url.replace(/\/v1$/, '/_fake/stats'))).json()) as { in_flight: number }).in_flight;
    await until(async () => (await inFlight()) === 0, 'the aborted request to leave');
  });

  it('serves queued behaviours in order, then the default', async () => {
    fake.setDefault({ kind: 'ok', content: 'default answer' });
    fake.enqueue({ kind: 'server_error' }, { kind: 'rate_limited', retryAfterSeconds: 1 });
    fake.enqueue({ kind: 'ok', content: 'third' });
    expect(await failure(ask(client))).toBeInstanceOf(InternalServerError);
    expect(await failure(ask(client))).toBeInstanceOf(RateLimitError);
    expect((await ask(client)).choices[0]?.message.content).toBe('third');
    expect((await ask(client)).choices[0]?.message.content).toBe('default answer');
    expect((await ask(client)).choices[0]?.message.content).toBe('default answer');
    expect(fake.requests.map((request) => request.behaviour)).toEqual(['server_error', 'rate_limited', 'ok', 'ok', 'ok']);
  });

  it('reset() empties the queue and the log and restores the initial default', async () => {
    fake.setDefault({ kind: 'server_error' });
    fake.enqueue({ kind: 'bad_request' });
    await Promise.all([failure(ask(client)), failure(ask(client))]);
    fake.reset();
    expect(fake.requests).toEqual([]);
    expect(fake.maxConcurrent).toBe(0);
    expect((await ask(client)).choices[0]?.message.content).toMatch(/^Fake answer to:/);
    expect(fake.maxConcurrent).toBe(1);
  });

  it('counts the most requests in flight at once', async () => {
    fake.setDefault({ kind: 'ok', latencyMs: 200 });
    await Promise.all(Array.from({ length: 5 }, (_, i) => ask(client, `question ${i}`)));
    expect(fake.maxConcurrent).toBe(5);
    expect(fake.requests).toHaveLength(5);
    await ask(client);
    expect(fake.maxConcurrent).toBe(5);
  });

  it('rejects a request the real API would reject, without using up a queued behaviour', async () => {
    fake.enqueue({ kind: 'ok', content: 'kept for a valid request' });
    const empty = await failure(client.chat.completions.create({ model: 'gpt-test', messages: [] }));
    expect(empty).toBeInstanceOf(BadRequestError);
    expect((empty as BadRequestError).param).toBe('messages');
    const raw = await fetch(`${fake.url}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"model": ' });
    expect(raw.status).toBe(400);
    expect(((await raw.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');
    expect((await ask(client)).choices[0]?.message.content).toBe('kept for a valid request');
    expect(fake.requests.map((request) => request.behaviour)).toEqual(['bad_request', 'bad_request', 'ok']);
  });

  it('streams an answer the SDK reassembles, with usage when asked for', async () => {
    fake.enqueue({ kind: 'ok', content: 'Waves fold into foam' });
    const stream = await client.chat.completions.create({
      model: 'gpt-test',
      messages: [{ role: 'user', content: 'a haiku' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let finishReason: string | null = null;
    let completionTokens: number | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finishReason = chunk.choices[0]?.finish_reason ?? finishReason;
      completionTokens = chunk.usage?.completion_tokens ?? completionTokens;
    }
    expect(text).toBe('Waves fold into foam');
    expect(finishReason).toBe('stop');
    expect(completionTokens).toBe(5);
  });

  it('lists one model and answers 404 in the API error shape elsewhere', async () => {
    const models = [];
    for await (const model of client.models.list()) models.push(model.id);
    expect(models).toEqual(['gpt-4o-mini']);
    const missing = await failure(client.models.retrieve('gpt-test'));
    expect(missing).toBeInstanceOf(NotFoundError);
    expect((missing as NotFoundError).message).toContain('Invalid URL (GET /v1/models/gpt-test)');
  });

  it('refuses a behaviour that is not valid', () => {
    expect(() => fake.enqueue({ kind: 'rate_limited', retryAfterSeconds: -1 })).toThrow(TypeError);
    expect(() => fake.setDefault({ kind: 'server_error', status: 404 })).toThrow(TypeError);
  });
});

describe('the fake OpenAI server with options', () => {
  it('applies the server default latency to ok answers that name none', async () => {
    const fake = await startFakeOpenAi({ latencyMs: 200 });
    try {
      const started = performance.now();
      await ask(sdk(fake));
      expect(performance.now() - started).toBeGreaterThanOrEqual(195);
      fake.setDefault({ kind: 'ok' });
      const again = performance.now();
      await ask(sdk(fake));
      expect(performance.now() - again).toBeGreaterThanOrEqual(195);
    } finally {
      await fake.stop();
    }
  });

  it('demands the API key it was given', async () => {
    const fake = await startFakeOpenAi({ apiKey: 'sk-right' });
    try {
      const wrong = await failure(ask(sdk(fake, { apiKey: 'sk-wrong' })));
      expect(wrong).toBeInstanceOf(AuthenticationError);
      expect((wrong as AuthenticationError).code).toBe('invalid_api_key');
      const missing = await fetch(`${fake.url}/chat/completions`, {
        method: 'POST',
        body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(missing.status).toBe(401);
      expect((await ask(sdk(fake, { apiKey: 'sk-right' }))).choices[0]?.finish_reason).toBe('stop');
      expect(fake.requests.map((request) => [request.behaviour, request.authorization])).toEqual([
        ['unauthorized', 'Bearer sk-wrong'],
        ['unauthorized', undefined],
        ['ok', 'Bearer sk-right'],
      ]);
    } finally {
      await fake.stop();
    }
  });

  it('stops promptly even while a request hangs, and the caller sees the connection end', async () => {
    const fake = await startFakeOpenAi();
    fake.setDefault({ kind: 'hang' });
    const pending = failure(ask(sdk(fake, { timeout: 30_000 })));
    await until(() => fake.requests.length === 1, 'the request to arrive');
    const started = performance.now();
    await fake.stop();
    expect(performance.now() - started).toBeLessThan(1_000);
    const error = await pending;
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error).not.toBeInstanceOf(APIConnectionTimeoutError);
  });
});

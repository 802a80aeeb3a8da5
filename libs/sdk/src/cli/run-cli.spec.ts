import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

// A stand-in API answering from a table, so that every exit code can be shown without a market.
const answers = new Map<string, { status: number; body: unknown }>();
const seen: IncomingMessage[] = [];
const server = createServer((request, response) => {
  seen.push(request);
  if (request.url?.startsWith('/api/events')) {
    // Two events, then the stream stays open as a live feed does.
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const [id, type] of [[7, 'job_created'], [8, 'job_started']] as const) {
      response.write(`id: ${id}\nevent: ${type}\ndata: ${JSON.stringify({ id: `e${id}`, type, occurred_at: '2026-01-01T00:00:00Z', data: { job: { id: 'j1', status: 'pending' } } })}\n\n`);
    }
    return;
  }
  const answer = answers.get(`${request.method} ${request.url}`) ?? { status: 404, body: { error: { code: 'not_found', message: 'no such route' } } };
  response.writeHead(answer.status, { 'content-type': 'application/json', 'x-request-id': 'req-1' }).end(JSON.stringify(answer.body));
});
let baseUrl = '';
let dir = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = await mkdtemp(path.join(tmpdir(), 'agentmarket-cli-'));
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

async function cli(argv: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    env: { AGENTMARKET_CONFIG: path.join(dir, 'none.json'), AGENTMARKET_BASE_URL: baseUrl, ...env },
    signal: new AbortController().signal,
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('agentmarket', () => {
  it('shows help with exit 0, and a wrong command line with exit 2', async () => {
    expect(await cli(['--help'])).toMatchObject({ code: 0, out: expect.stringContaining('jobs deliver <job-id>') });
    expect(await cli(['jobs', 'deliver', '--help'])).toMatchObject({ code: 0, out: expect.stringContaining('--content TEXT') });
    expect(await cli(['jobs'])).toMatchObject({ code: 2, err: expect.stringContaining('jobs list') });
    expect(await cli(['nonsense'])).toMatchObject({ code: 2, err: expect.stringContaining('unknown command') });
    expect(await cli(['wallet', '--bogus'], { AGENTMARKET_API_KEY: 'k' })).toMatchObject({ code: 2, err: expect.stringContaining('--bogus') });
    expect(await cli(['jobs', 'complete', 'j1', '--rating', 'five'], { AGENTMARKET_API_KEY: 'k' })).toMatchObject({ code: 2, err: expect.stringContaining('--rating') });
  });

  it('exits 3 without credentials, before calling anything', async () => {
    seen.length = 0;
    expect(await cli(['wallet'])).toMatchObject({ code: 3, err: expect.stringContaining('AGENTMARKET_API_KEY') });
    expect(seen).toHaveLength(0);
  });

  it('exits 1 on an API error with its code first on stderr, and 4 when the API cannot be reached', async () => {
    answers.set('POST /api/jobs/j1/start', { status: 409, body: { error: { code: 'invalid_transition', message: 'cannot start', details: { from: 'completed', event: 'start' } } } });
    const refused = await cli(['jobs', 'start', 'j1'], { AGENTMARKET_API_KEY: 'k' });
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/^invalid_transition: cannot start .*"from":"completed".*\(request req-1\)$/);
    const asJson = await cli(['jobs', 'start', 'j1', '--json'], { AGENTMARKET_API_KEY: 'k' });
    expect(JSON.parse(asJson.err)).toMatchObject({ error: { code: 'invalid_transition', status: 409, request_id: 'req-1' } });

    expect(await cli(['wallet', '--base-url', 'http://127.0.0.1:9', '--retries', '0'], { AGENTMARKET_API_KEY: 'k' })).toMatchObject({ code: 4, err: expect.stringMatching(/^network_error:/) });
  });

  it('register --save keeps the key in a config file only its owner can read, and later commands use it', async () => {
    answers.set('POST /api/agents', { status: 201, body: { agent_id: 'a1', name: 'Poet', api_key: 'agmkt_sk_saved', created_at: '2026-01-01T00:00:00Z' } });
    answers.set('GET /api/wallet', { status: 200, body: { balances: [{ currency: 'USD', available: '10.00', held: '2.50' }] } });
    const config = path.join(dir, 'nested', 'config.json');
    const registered = await cli(['register', '--name', 'Poet', '--capability', 'poetry,haiku', '--save'], { AGENTMARKET_CONFIG: config });
    expect(registered).toMatchObject({ code: 0, out: expect.stringContaining('agmkt_sk_saved') });
    expect((await stat(config)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(config, 'utf8'))).toEqual({ base_url: baseUrl, api_key: 'agmkt_sk_saved', agent_id: 'a1', name: 'Poet' });

    seen.length = 0;
    expect(await cli(['wallet'], { AGENTMARKET_CONFIG: config })).toMatchObject({ code: 0, out: 'USD  available 10.00  held 2.50' });
    expect(seen[0]?.headers['x-agent-key']).toBe('agmkt_sk_saved');
    expect(await cli(['wallet', '--field', 'balances.0.held'], { AGENTMARKET_CONFIG: config })).toMatchObject({ code: 0, out: '2.50' });
  });

  it('watch prints one line per event, as JSON with --json, and stops after --count', async () => {
    seen.length = 0;
    const lines = await cli(['watch', '--types', 'job_created,job_started', '--count', '2', '--json']);
    expect(lines.code).toBe(0);
    expect(lines.out.split('\n').map((line) => JSON.parse(line))).toMatchObject([
      { id: '7', type: 'job_created', data: { id: 'e7' } },
      { id: '8', type: 'job_started', data: { id: 'e8' } },
    ]);
    expect(seen[0]?.url).toBe('/api/events?types=job_created%2Cjob_started');
    const human = await cli(['watch', '--count', '1']);
    expect(human.out).toMatch(/^\s+7 {2}2026-01-01T00:00:00Z {2}job_created\s+job j1 pending$/);
  });
});

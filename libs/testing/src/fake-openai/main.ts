import { startFakeOpenAi } from './server.ts';

// `npm run fake-openai`: a fake OpenAI server for demos and manual runs of the executor.

function integerFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`${name} must be a whole number >= 0, got ${JSON.stringify(raw)}`);
    process.exit(2);
  }
  return value;
}

const apiKey = process.env['FAKE_OPENAI_API_KEY'] || undefined;
const latencyMs = integerFromEnv('FAKE_OPENAI_LATENCY_MS', 200);
const fake = await startFakeOpenAi({
  port: integerFromEnv('FAKE_OPENAI_PORT', 8090),
  host: process.env['FAKE_OPENAI_HOST'] || '127.0.0.1',
  latencyMs,
  apiKey,
});
const control = fake.url.replace(/\/v1$/, '/_fake');

console.log(`fake OpenAI server listening at ${fake.url}`);
console.log(`point the executor at it:  OPENAI_BASE_URL=${fake.url} OPENAI_API_KEY=${apiKey ?? 'any-key'}`);
console.log(`${apiKey ? 'requests must carry that key' : 'any API key is accepted'}; answers after ${latencyMs} ms by default`);
console.log('steer it:');
console.log(`  curl -s -X POST ${control}/behaviours -H 'content-type: application/json' -d '{"queue":[{"kind":"rate_limited","retryAfterSeconds":3}]}'`);
console.log(`  curl -s -X POST ${control}/behaviours -H 'content-type: application/json' -d '{"default":{"kind":"server_error"}}'`);
console.log(`  curl -s ${control}/stats        curl -s -X POST ${control}/reset`);
console.log('behaviour kinds: ok {latencyMs?, content?}, rate_limited {retryAfterSeconds}, server_error {status?}, hang, malformed, insufficient_quota, bad_request, unauthorized');

let stopping = false;
const shutdown = (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping after ${fake.requests.length} request(s)`);
  void fake.stop().then(() => process.exit(0));
};
process.once('SIGINT', () => shutdown('SIGINT'));
process.once('SIGTERM', () => shutdown('SIGTERM'));

import Fastify from 'fastify';

// Entry of the baseline child process: the least a Fastify service can do for
// the same request shape, so the gateway's figure can be read as a ratio.

// Shaped like a public agent profile (~300 bytes serialised) so the bytes on
// the wire match what the gateway sends.
const PROFILE = {
  name: 'baseline-agent',
  description: 'A fixed profile served by the bare Fastify baseline of the benchmark.',
  capabilities: ['testing', 'benchmarking'],
  status: 'active',
  reputation_score: '4.83',
  jobs_completed: 42,
  success_rate: 0.95,
  total_earned: '1234.50',
  created_at: '2025-01-01T00:00:00.000Z',
};

const port = Number(process.env.PORT);
if (!Number.isInteger(port) || port <= 0) {
  console.error('bare-fastify-server: PORT must be set to a port number');
  process.exit(1);
}

const app = Fastify({ logger: false });
app.get<{ Params: { id: string } }>('/agents/:id', async (request) => ({ id: request.params.id, ...PROFILE }));

const close = () => {
  void app.close().then(() => process.exit(0));
};
process.once('SIGTERM', close);
process.once('SIGINT', close);

await app.listen({ port, host: '127.0.0.1' });

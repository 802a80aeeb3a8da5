import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { aFundedClient, aWorkerWithService, eventually, jobAction, useTestStack, type ApiClient, type TestAgent } from '@agentmarket/testing';

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url);
// Inside the repository (ignored by git), so that the snippets' imports resolve to its node_modules.
const SNIPPET_DIR = new URL('infra/test/.snippets/', ROOT);

/** The ```ts block that follows `<!-- snippet: name -->` in the README, as written there. */
async function readmeSnippet(name: string): Promise<string> {
  const readme = await readFile(new URL('README.md', ROOT), 'utf8');
  const match = new RegExp(`<!-- snippet: ${name} -->\\n\`\`\`ts\\n([\\s\\S]*?)\\n\`\`\`\\n`).exec(readme);
  if (!match?.[1]) throw new Error(`README.md has no ts block marked "snippet: ${name}"`);
  return match[1];
}

/** Runs a README snippet as its own Node program (types stripped, nothing changed), as a reader would. */
async function runSnippet(name: string, env: Record<string, string>): Promise<string> {
  await mkdir(SNIPPET_DIR, { recursive: true });
  const file = fileURLToPath(new URL(`${name}.ts`, SNIPPET_DIR));
  await writeFile(file, await readmeSnippet(name));
  const { stdout } = await run(process.execPath, [file], { env: { ...process.env, ...env }, timeout: 60_000 });
  return stdout;
}

/** The seller's side, over REST: waits for its next pending job, starts it and delivers. */
async function workTheNextJob(api: ApiClient, seller: TestAgent): Promise<string> {
  const listed = await eventually(
    () => api('GET', '/api/jobs?role=worker&status=pending', { key: seller.key }),
    (response) => response.status === 200 && response.body.data.length > 0,
    40_000,
  );
  const jobId: string = listed.body.data[0].id;
  expect((await jobAction(api, seller, jobId, 'start')).status).toBe(200);
  expect((await jobAction(api, seller, jobId, 'deliver', { artifact_type: 'text', content: 'Grey waves fold and break' })).status).toBe(200);
  return jobId;
}

async function usdAvailable(api: ApiClient, agent: TestAgent): Promise<number> {
  const wallet = await api('GET', '/api/wallet', { key: agent.key });
  return Number(wallet.body.balances.find((balance: { currency: string }) => balance.currency === 'USD')?.available ?? 0);
}

const market = useTestStack();

describe("the README's client snippets, run verbatim against the market", () => {
  it('A2A: hires over SendMessage, follows the task to delivery and completes it; the seller is paid', async () => {
    const { worker, service } = await aWorkerWithService(market.api, { name: 'Haiku', description: 'A haiku on any topic', required_inputs: [{ name: 'topic' }], price_usd: '2.00', capabilities_required: ['readme-a2a'] });
    const client = await aFundedClient(market.api);
    const before = await usdAvailable(market.api, worker);
    const [stdout, jobId] = await Promise.all([
      runSnippet('a2a', { AGENTMARKET_URL: market.stack.gatewayUrl, AGENTMARKET_API_KEY: client.key, SELLER_AGENT_ID: worker.id }),
      workTheNextJob(market.api, worker),
    ]);
    expect(stdout).toContain('Grey waves fold and break');
    expect(stdout).toContain(`job ${jobId} completed`);
    const job = await market.api('GET', `/api/jobs/${jobId}`, { key: client.key });
    expect(job.body).toMatchObject({ status: 'completed', service_id: service.id });
    // The price less the platform's fee reaches the seller once the escrow is released.
    await expect.poll(() => usdAvailable(market.api, worker), { timeout: 20_000 }).toBeGreaterThan(before);
  });

  it('MCP: searches, hires, waits for the delivery and completes the job through tools alone', async () => {
    const { worker } = await aWorkerWithService(market.api, { name: 'Haiku by MCP', description: 'A haiku on any topic', required_inputs: [{ name: 'topic' }], price_usd: '1.00', capabilities_required: ['readme-mcp'] });
    const client = await aFundedClient(market.api);
    const [stdout, jobId] = await Promise.all([
      runSnippet('mcp', { AGENTMARKET_URL: market.stack.gatewayUrl, AGENTMARKET_API_KEY: client.key }),
      workTheNextJob(market.api, worker),
    ]);
    expect(stdout).toContain(`job ${jobId} completed`);
    expect((await market.api('GET', `/api/jobs/${jobId}`, { key: client.key })).body.status).toBe('completed');
  });
});

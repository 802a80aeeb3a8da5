import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { SERVICE_NAMES } from '@agentmarket/contracts';
import { databaseUrl, dropDatabase, ensureDatabase, ensureNatsAuth, findFreePort, startNatsServer, type RunningNats } from '@agentmarket/local-infra';
import { startStack, type RunningStack } from '../src/index.ts';
import {
  SseTestClient,
  TEST_STACK_ENV,
  apiClient,
  hireService,
  jobAction,
  publishService,
  registerAgent,
  startTestStack,
  waitUntilDrained,
  type ApiClient,
  type TestAgent,
  type TestStack,
} from '@agentmarket/testing';
import { readManifest } from '../src/backup/manifest.ts';

/**
 * Backup → destroy → restore, as an operator does it: the `backup` and
 * `restore` commands against a market that traded, the database dropped and
 * the NATS store wiped, then the services started on the restored data.
 */
const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '../..');

/** Runs one of the repository's commands (`node <entry>`, what `npm run` does) with the given environment. */
async function command(entry: string, args: string[], env: Record<string, string>) {
  return run(process.execPath, [path.join(repoRoot, entry), ...args], { cwd: repoRoot, env: { ...process.env, ...env } });
}

let original: TestStack | undefined;
let restored: RunningStack | undefined;
let restoredNats: RunningNats | undefined;
let restoredDatabase: { admin: string; name: string } | undefined;
const workDirs: string[] = [];

afterAll(async () => {
  await original?.stop();
  await restored?.stop();
  await restoredNats?.stop();
  if (restoredDatabase) await dropDatabase(restoredDatabase.admin, restoredDatabase.name).catch(() => {});
  await Promise.all(workDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function newWorkDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  workDirs.push(dir);
  return dir;
}

async function walletOf(api: ApiClient, agent: TestAgent) {
  const response = await api('GET', '/api/wallet', { key: agent.key });
  expect(response.status).toBe(200);
  return response.body.balances;
}

async function jobStatuses(api: ApiClient, agent: TestAgent, jobIds: string[]) {
  return Object.fromEntries(await Promise.all(jobIds.map(async (id) => [id, (await api('GET', `/api/jobs/${id}`, { key: agent.key })).body.status])));
}

/** Rows in every service schema: the figure of what the dump carried. */
async function serviceRows(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ schema: string; name: string }>(
      `select table_schema as schema, table_name as name from information_schema.tables where table_type = 'BASE TABLE' and table_schema = any($1::text[])`,
      [[...SERVICE_NAMES]],
    );
    let total = 0;
    for (const table of tables) total += Number((await client.query(`select count(*) as n from "${table.schema}"."${table.name}"`)).rows[0].n);
    return total;
  } finally {
    await client.end();
  }
}

const ids = (events: { id: string | undefined }[]) => events.map((event) => Number(event.id));

describe('backup and restore', () => {
  it('after backup, destroying the data and restoring it, the ledger is sound, every job and wallet is as before, and the SSE feed continues without a duplicate id', { timeout: 300_000 }, async () => {
    // A market that traded: jobs completed, one delivered, one only hired.
    original = await startTestStack();
    const api = apiClient(original.gatewayUrl);
    const feed = await SseTestClient.connect(`${original.gatewayUrl}/api/events`);
    const [client, worker] = await Promise.all([registerAgent(api, 'Backup Client', ['hiring']), registerAgent(api, 'Backup Worker', ['writing'])]);
    const service = await publishService(api, worker);
    const jobIds: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      const job = await hireService(api, client, service.id, { input_data: { text: `job ${index}` } });
      jobIds.push(job.id);
      expect((await jobAction(api, worker, job.id, 'start')).status).toBe(200);
      expect((await jobAction(api, worker, job.id, 'deliver', { artifact_type: 'text', content: `done ${index}` })).status).toBe(200);
      expect((await jobAction(api, client, job.id, 'complete', { rating: 5 })).body.status).toBe('completed');
    }
    const delivered = await hireService(api, client, service.id);
    await jobAction(api, worker, delivered.id, 'start');
    expect((await jobAction(api, worker, delivered.id, 'deliver', { artifact_type: 'text', content: 'waiting' })).status).toBe(200);
    const hired = await hireService(api, client, service.id);
    jobIds.push(delivered.id, hired.id);
    await waitUntilDrained(original);
    await feed.waitFor((events) => events.some((event) => event.event === 'job_created' && event.data?.data?.job_id === hired.id));
    feed.close();
    const lastSeenId = Math.max(...ids(feed.events));
    const jobsBefore = await jobStatuses(api, client, jobIds);
    const walletsBefore = { client: await walletOf(api, client), worker: await walletOf(api, worker) };
    const rowsBefore = await serviceRows(original.databaseUrl);
    expect(Object.values(jobsBefore)).toEqual(['completed', 'completed', 'completed', 'delivered', expect.any(String)]);

    // Back up with the command an operator runs.
    const started = Date.now();
    const backupDir = path.join(await newWorkDir('agentmarket-backup-'), 'backup');
    const backup = await command('infra/src/backup-command.ts', ['--out', backupDir], { DATABASE_URL: original.databaseUrl, NATS_URL: original.natsUrl });
    expect(backup.stdout).toContain('backup written to');
    const manifest = await readManifest(backupDir);
    const backupSeconds = (Date.now() - started) / 1000;

    // Destroy: the database is dropped, nats-server stopped and its store deleted.
    const admin = databaseUrl(original.databaseUrl, 'postgres');
    await original.stop();
    original = undefined;

    // Restore into a new database and a NATS with an empty store, then start the services on it.
    const restoreStarted = Date.now();
    restoredDatabase = { admin, name: `am_restored_${randomBytes(6).toString('hex')}` };
    const restoredUrl = await ensureDatabase(admin, restoredDatabase.name);
    const workDir = await newWorkDir('agentmarket-restored-');
    const natsAuth = await ensureNatsAuth(path.join(workDir, 'nats-auth'), { noAuthUser: 'operator' });
    restoredNats = await startNatsServer({ storeDir: path.join(workDir, 'nats'), configFile: natsAuth.configFile });
    const restore = await command('infra/src/restore-command.ts', ['--from', backupDir], { DATABASE_URL: restoredUrl, NATS_URL: restoredNats.url });
    expect(restore.stdout).toContain('now start the services');
    const restoreSeconds = (Date.now() - restoreStarted) / 1000;
    const output: string[] = [];
    restored = await startStack({
      databaseUrl: restoredUrl,
      natsUrl: restoredNats.url,
      natsAuth,
      dataDir: workDir,
      gatewayPort: await findFreePort(),
      env: TEST_STACK_ENV,
      onOutput: (name, line) => output.push(`[${name}] ${line}`),
    });
    const after = apiClient(restored.gatewayUrl);
    // The fresh durables read EVENTS from the start; the restored inboxes make the replays no-ops.
    await waitUntilDrained(restored, { timeoutMs: 60_000 });

    const ledger = await command('services/payments/src/ledger-check/main.ts', [], { DATABASE_URL: restoredUrl });
    expect(ledger.stdout).toContain('ledger OK');
    expect(await jobStatuses(after, client, jobIds)).toEqual(jobsBefore);
    expect({ client: await walletOf(after, client), worker: await walletOf(after, worker) }).toEqual(walletsBefore);
    expect(await serviceRows(restoredUrl)).toBeGreaterThanOrEqual(rowsBefore);

    // The feed resumes after the last id seen before the backup: new events, ids above it, none twice.
    const resumed = await SseTestClient.connect(`${restored.gatewayUrl}/api/events`, { 'last-event-id': String(lastSeenId) });
    expect((await jobAction(after, worker, hired.id, 'start')).status).toBe(200);
    await resumed.waitFor((events) => events.some((event) => event.event === 'job_started' && event.data?.data?.job_id === hired.id));
    resumed.close();
    // From an earlier id, the restored events come back under the ids they had: sequences were preserved.
    const midway = Number(feed.events.find((event) => event.event === 'job_completed')?.id);
    const replay = await SseTestClient.connect(`${restored.gatewayUrl}/api/events`, { 'last-event-id': String(midway) });
    await replay.waitFor((events) => events.some((event) => event.event === 'job_started' && event.data?.data?.job_id === hired.id));
    replay.close();
    const before = feed.events.filter((event) => Number(event.id) > midway).map((event) => [Number(event.id), event.data?.id]);
    expect(replay.events.filter((event) => Number(event.id) <= lastSeenId).map((event) => [Number(event.id), event.data?.id])).toEqual(before);
    expect(new Set(ids(replay.events)).size).toBe(replay.events.length);
    const resumedIds = ids(resumed.events);
    expect(resumedIds.every((id) => id > lastSeenId)).toBe(true);
    expect(new Set(resumedIds).size).toBe(resumedIds.length);
    const events = manifest.streams.find((stream) => stream.name === 'EVENTS');
    expect(Math.min(...resumedIds.filter((id, index) => resumed.events[index]?.event === 'job_started'))).toBeGreaterThan(events?.lastSeq ?? 0);
    expect(output.filter((line) => line.includes('Violation'))).toEqual([]);

    console.log(
      `backup-restore: ${rowsBefore} rows, ${manifest.streams.map((stream) => `${stream.name} ${stream.messages} messages`).join(', ')}, ` +
        `dump ${manifest.postgres.bytes} bytes; backup ${backupSeconds.toFixed(1)} s, restore ${restoreSeconds.toFixed(1)} s; ` +
        `feed resumed after id ${lastSeenId} with ${resumedIds.length} event(s), no duplicate`,
    );
  });
});

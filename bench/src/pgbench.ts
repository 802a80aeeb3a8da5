import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { dropDatabase, ensureDatabase } from '@agentmarket/local-infra';

const run = promisify(execFile);

export interface PgbenchResult {
  clients: number;
  durationS: number;
  tps: number;
  latencyAvgMs: number | null;
}

/**
 * pgbench's TPC-B-like script on a scratch database of the same Postgres
 * server: the commit rate this machine's database can sustain right now,
 * the physical limit the lifecycle figure is set against.
 */
export async function runPgbench(options: { adminUrl: string; clients: number; durationS: number; scale?: number }): Promise<PgbenchResult> {
  const name = `am_pgbench_${randomBytes(4).toString('hex')}`;
  const url = await ensureDatabase(options.adminUrl, name);
  try {
    await run('pgbench', ['-i', '-q', '-s', String(options.scale ?? 2), url]);
    const threads = Math.min(options.clients, 2);
    const { stdout } = await run('pgbench', ['-n', '-c', String(options.clients), '-j', String(threads), '-T', String(options.durationS), url]);
    const tps = /tps = ([\d.]+)/.exec(stdout);
    const latency = /latency average = ([\d.]+) ms/.exec(stdout);
    if (!tps) throw new Error(`could not read tps from pgbench output:\n${stdout}`);
    return { clients: options.clients, durationS: options.durationS, tps: Number(tps[1]), latencyAvgMs: latency ? Number(latency[1]) : null };
  } finally {
    await dropDatabase(options.adminUrl, name).catch(() => {});
  }
}

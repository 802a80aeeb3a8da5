import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { withScratchDatabase } from './scratch-database.ts';

export const run = promisify(execFile);

export interface PgbenchResult {
  clients: number;
  durationS: number;
  tps: number;
  latencyAvgMs: number | null;
}

/** pgbench's run figures from its report. */
export function pgbenchFigures(stdout: string, clients: number, durationS: number): PgbenchResult {
  const tps = /tps = ([\d.]+)/.exec(stdout);
  const latency = /latency average = ([\d.]+) ms/.exec(stdout);
  if (!tps) throw new Error(`could not read tps from pgbench output:\n${stdout}`);
  return { clients, durationS, tps: Number(tps[1]), latencyAvgMs: latency ? Number(latency[1]) : null };
}

/** Arguments that run `clients` pgbench clients for `durationS` seconds on at most two threads. */
export function pgbenchRunArgs(clients: number, durationS: number): string[] {
  return ['-n', '-c', String(clients), '-j', String(Math.min(clients, 2)), '-T', String(durationS)];
}

/**
 * pgbench's TPC-B-like script on a scratch database of the same Postgres
 * server: the commit rate this machine's database can sustain right now,
 * the physical limit the lifecycle figure is set against.
 */
export async function runPgbench(options: { adminUrl: string; clients: number; durationS: number; scale?: number }): Promise<PgbenchResult> {
  return withScratchDatabase(options.adminUrl, 'am_pgbench', async (url) => {
    await run('pgbench', ['-i', '-q', '-s', String(options.scale ?? 2), url]);
    const { stdout } = await run('pgbench', [...pgbenchRunArgs(options.clients, options.durationS), url]);
    return pgbenchFigures(stdout, options.clients, options.durationS);
  });
}

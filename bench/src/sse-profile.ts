/**
 * Where the SSE crowd's time goes: runs the `sse` target's load (sse-load.ts)
 * on a stack of processes whose gateway runs V8's sampling profiler, and
 * prints its figures, the CPU of every process on the machine over most of
 * the measured window (the stack's, the clients', and whatever else runs:
 * on a shared machine that decides the delays) and the heaviest functions
 * of each profiled process. `node bench/src/sse-profile.ts`; the .cpuprofile
 * files stay in the printed folder for Chrome DevTools.
 *
 * SSE_PROFILE_ALSO=catalog,…  profiles these services too;
 * SSE_PROFILE_CLIENTS=1       profiles the client processes too;
 * SSE_PROFILE_NONE=1          runs without the profiler (figures and census only).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startTestStack } from '@agentmarket/testing';
import { summarizeProfile, type CpuProfile } from './cpu-profile.ts';
import { parseProcStat } from './proc-stat.ts';
import { machineJiffies } from './proc-stat.ts';
import { formatSse, runSseLoad } from './sse-load.ts';

const SECONDS = Number(process.env.BENCH_DURATION_S ?? 10);
const WARMUP_S = 2;
const TOP = Number(process.env.BENCH_PROFILE_TOP ?? 20);
/** The census runs this long, from this far into the load (after the warm-up): inside the measured window. */
const CENSUS_MS = 8000;
const CENSUS_FROM_MS = (WARMUP_S + 1) * 1000;
const TICKS_PER_SECOND = 100;

/** CPU ticks of every process now, by pid, named by the script it runs (or its command name). */
async function census(): Promise<Map<number, { name: string; ticks: number }>> {
  const byPid = new Map<number, { name: string; ticks: number }>();
  for (const entry of await fs.readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = parseProcStat(await fs.readFile(`/proc/${entry}/stat`, 'utf8'));
      const command = (await fs.readFile(`/proc/${entry}/cmdline`, 'utf8')).split('\0').filter(Boolean);
      const script = command.find((arg) => /\.(ts|mjs|js)$/.test(arg));
      byPid.set(stat.pid, { name: script ? path.relative(process.cwd(), script) : stat.comm, ticks: stat.utime + stat.stime });
    } catch {
      // The process ended meanwhile.
    }
  }
  return byPid;
}

async function printCensusOverWindow(): Promise<void> {
  const [start, startJiffies] = await Promise.all([census(), machineJiffies()]);
  await new Promise((resolve) => setTimeout(resolve, CENSUS_MS));
  const [end, endJiffies] = await Promise.all([census(), machineJiffies()]);
  const busy = startJiffies && endJiffies ? `${Math.round(((endJiffies.busy - startJiffies.busy) / (endJiffies.total - startJiffies.total)) * 100)}%` : 'n/a';
  const rows = [...end].map(([pid, { name, ticks }]) => ({ pid, name, msPerSec: ((ticks - (start.get(pid)?.ticks ?? ticks)) / TICKS_PER_SECOND) * (1000 / (CENSUS_MS / 1000)) }));
  rows.sort((a, b) => b.msPerSec - a.msPerSec);
  console.log(`over ${CENSUS_MS / 1000} s of the window the machine's ${os.availableParallelism()} CPUs were ${busy} busy; CPU ms/s by process:`);
  for (const row of rows.slice(0, 16)) console.log(`  ${row.msPerSec.toFixed(0).padStart(5)}  ${row.pid} ${row.name}`);
}

const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'agentmarket-sse-profile-'));
const profiled = process.env.SSE_PROFILE_NONE === '1' ? [] : ['gateway', ...(process.env.SSE_PROFILE_ALSO ?? '').split(',').filter(Boolean)];
const huge = '100000000';
const stack = await startTestStack({
  env: { LOG_LEVEL: 'warn', RATE_LIMIT_PER_KEY: huge, RATE_LIMIT_PER_IP: huge },
  envFor: Object.fromEntries(profiled.map((name) => [name, { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${path.join(dir, name)}` }])),
});
try {
  // The client processes are forked with this process's environment.
  if (process.env.SSE_PROFILE_CLIENTS === '1') process.env.NODE_OPTIONS = `--cpu-prof --cpu-prof-dir=${path.join(dir, 'clients')}`;
  let censusPrinted: Promise<void> | undefined;
  const result = await runSseLoad({
    baseUrl: stack.gatewayUrl,
    nats: { url: stack.natsUrl, auth: stack.natsAuth },
    gatewayPid: stack.processes.get('gateway')?.pid,
    clients: Number(process.env.BENCH_SSE_CLIENTS ?? 2000),
    slowClients: Number(process.env.BENCH_SSE_SLOW ?? 20),
    clientProcesses: 2,
    eventsPerSec: Number(process.env.BENCH_SSE_RATE ?? 50),
    durationS: SECONDS,
    warmupS: WARMUP_S,
    ticksPerSecond: TICKS_PER_SECOND,
    log: (line) => {
      console.log(line);
      // The load (warm-up, then the window) starts right after the clients have connected.
      if (line.includes('clients connected')) {
        censusPrinted = new Promise((resolve) => setTimeout(resolve, CENSUS_FROM_MS)).then(printCensusOverWindow);
      }
    },
  });
  await censusPrinted;
  delete process.env.NODE_OPTIONS;
  console.log(formatSse(result, null));
} finally {
  await stack.stop();
}

for (const part of await fs.readdir(dir)) {
  const files = await fs.readdir(path.join(dir, part)).catch(() => [] as string[]);
  for (const file of files.filter((name) => name.endsWith('.cpuprofile'))) {
    const summary = summarizeProfile(JSON.parse(await fs.readFile(path.join(dir, part, file), 'utf8')) as CpuProfile);
    console.log(`\n${part} ${file}: ${summary.totalMs.toFixed(0)} ms sampled`);
    for (const { name, ms } of summary.byPackage.slice(0, 8)) console.log(`  ${ms.toFixed(0).padStart(7)} ms  ${name}`);
    for (const { name, ms } of summary.byFunction.slice(0, TOP)) console.log(`  ${ms.toFixed(0).padStart(7)} ms  ${name}`);
  }
}
console.log(`\nprofiles in ${dir}`);

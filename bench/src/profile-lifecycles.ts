/**
 * Where each process spends its CPU under the lifecycle load: runs the stack
 * with V8's sampling profiler (--cpu-prof), drives lifecycles for
 * BENCH_PROFILE_S seconds, stops the stack (the profiles are written at
 * exit) and prints the heaviest functions and packages per process.
 * `npm run bench:profile`; the .cpuprofile files stay in the printed folder
 * for Chrome DevTools.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { apiClient, publishService, registerAgent, startTestStack } from '@agentmarket/testing';
import { runLifecycles, type LifecyclePair } from './lifecycle-load.ts';
import { summarizeProfile, type ProfileSummary } from './cpu-profile.ts';

const SECONDS = Number(process.env.BENCH_PROFILE_S ?? 15);
const CONCURRENCY = Number(process.env.BENCH_CONNECTIONS ?? 32);
const TOP = Number(process.env.BENCH_PROFILE_TOP ?? 25);

const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'agentmarket-profile-'));
const huge = '100000000';
const stack = await startTestStack({
  env: { LOG_LEVEL: 'warn', RATE_LIMIT_PER_KEY: huge, RATE_LIMIT_PER_IP: huge, NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${dir}` },
});
const pids = new Map([...stack.processes.values()].map((p) => [p.pid, p.name]));
try {
  const api = apiClient(stack.gatewayUrl);
  const pairs: LifecyclePair[] = await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, i) => {
      const [client, worker] = await Promise.all([registerAgent(api, `profile-client-${i}`), registerAgent(api, `profile-worker-${i}`)]);
      const service = await publishService(api, worker, { name: `profile service ${i}`, max_concurrent: 1000 });
      return { client, worker, serviceId: service.id };
    }),
  );
  const result = await runLifecycles({ baseUrl: stack.gatewayUrl, pairs, durationS: SECONDS, warmupS: 3 });
  console.log(`${result.lifecycles} lifecycles in ${SECONDS} s (${result.lifecyclesPerSec.toFixed(1)}/s), failures ${result.failures}`);
} finally {
  await stack.stop();
}

for (const file of (await fs.readdir(dir)).filter((name) => name.endsWith('.cpuprofile'))) {
  // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile
  const pid = Number(file.split('.')[3]);
  const name = pids.get(pid) ?? `pid ${pid}`;
  const summary: ProfileSummary = summarizeProfile(JSON.parse(await fs.readFile(path.join(dir, file), 'utf8')));
  console.log(`\n== ${name} (${file}): ${summary.totalMs.toFixed(0)} ms sampled`);
  console.log('  by package:');
  for (const row of summary.byPackage.slice(0, 12)) console.log(`    ${row.ms.toFixed(0).padStart(7)} ms  ${row.name}`);
  console.log('  by function (self):');
  for (const row of summary.byFunction.slice(0, TOP)) console.log(`    ${row.ms.toFixed(0).padStart(7)} ms  ${row.name}`);
}
console.log(`\nprofiles in ${dir}`);
process.exit(0);

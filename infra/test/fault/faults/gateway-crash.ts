import type pg from 'pg';
import { SUBJECTS } from '@agentmarket/contracts';
import type { ServiceProcess } from '@agentmarket/local-infra';
import { BusObserver } from '../bus-observer.ts';
import { CycleCut, keyedPost, register, waitForFunds, type Agent, type Lane } from '../lifecycle-lane.ts';
import { awaitRestart, crash } from '../process-crash.ts';
import { EVERY_STEP, type Fault } from '../scenario.ts';

const SEEN_ON_BUS_TIMEOUT_MS = 10_000;
const EFFECT_TIMEOUT_MS = 10_000;

/**
 * The gateway dies while keyed POSTs are in flight, and the client sends
 * them again with the same key once a new gateway runs: each must have had
 * exactly one effect. To be sure the requests are really in flight — past
 * the gateway, at their service, not yet answered — the owning services are
 * paused (SIGSTOP) until a copy of each request is seen on the bus, the
 * gateway is killed, and the services are resumed: they then apply the
 * commands and answer a gateway that is gone. Three kinds are cut off at
 * once: a hire (jobs), a transition (jobs) and a message (messaging).
 */
export const gatewayCrash: Fault = {
  name: 'SIGKILL gateway mid-request',
  slug: 'kill-gw',
  recoverySteps: EVERY_STEP,
  killsGateway: true,
  async inject({ market, db, client }) {
    const probe: Lane = { client, prefix: 'kill-gw-probe', claims: [] };
    const { worker, buyer, serviceId, jobId } = await setUpProbe(probe);
    const keys = { message: 'kill-gw-probe-message', hire: 'kill-gw-probe-hire', start: 'kill-gw-probe-start' };

    const jobs = processOf(market.stack.processes, 'jobs');
    const messaging = processOf(market.stack.processes, 'messaging');
    const gateway = processOf(market.stack.processes, 'gateway');
    const observer = await BusObserver.open(market.stack.natsUrl, [SUBJECTS.jobs.hire, SUBJECTS.jobs.transition, SUBJECTS.messaging.send]);
    const paused: number[] = [];
    let inFlight: Promise<unknown>[] = [];
    let crashedPid: number;
    let endedAt: number;
    try {
      // Messaging first: the message route asks jobs who the parties are before it sends to messaging.
      paused.push(pause(messaging));
      inFlight.push(keyedPost(probe, 'message', keys.message, `/api/jobs/${jobId}/messages`, buyer.key, { content: keys.message }, jobId));
      await observer.waitFor(SUBJECTS.messaging.send, [keys.message], SEEN_ON_BUS_TIMEOUT_MS);
      paused.push(pause(jobs));
      inFlight.push(keyedPost(probe, 'hire', keys.hire, '/api/jobs', buyer.key, { service_id: serviceId, input_data: { text: keys.hire } }));
      inFlight.push(keyedPost(probe, 'start', keys.start, `/api/jobs/${jobId}/start`, worker.key, undefined, jobId));
      await observer.waitFor(SUBJECTS.jobs.hire, [keys.hire], SEEN_ON_BUS_TIMEOUT_MS);
      await observer.waitFor(SUBJECTS.jobs.transition, [jobId, '"start"'], SEEN_ON_BUS_TIMEOUT_MS);
      crashedPid = crash(gateway);
      endedAt = Date.now();
    } finally {
      for (const pid of paused) process.kill(pid, 'SIGCONT');
      await observer.close();
      // A probe that fails for good is recorded in its claim; the audit judges it.
      inFlight = inFlight.map((request) => request.catch((error) => (error instanceof CycleCut ? undefined : Promise.reject(error))));
    }
    const appliedBeforeRetry = await effectsApplied(db, jobId, keys);
    const restarter = await awaitRestart(market.stack.processes, 'gateway', crashedPid);
    await Promise.all(inFlight);
    const answers = probe.claims
      .filter((claim) => Object.values(keys).includes(claim.idempotencyKey))
      .map((claim) => `${claim.step} → ${claim.final}${claim.errorText ? ` ${claim.errorText}` : ''}`);
    return {
      endedAt,
      claims: probe.claims,
      notes: [
        `gateway (pid ${crashedPid}) killed with a hire, a start and a message in flight; restarted by the ${restarter}`,
        `effects applied by the cut-off attempts before the retry: ${appliedBeforeRetry}`,
        `retried with the same keys: ${answers.join(', ')}`,
      ],
    };
  },
};

/** Two agents, a service of the worker's, and a pending job of the buyer's to start. */
async function setUpProbe(probe: Lane): Promise<{ worker: Agent; buyer: Agent; serviceId: string; jobId: string }> {
  const worker = await register(probe, 'kill-gw-probe-worker');
  const buyer = await register(probe, 'kill-gw-probe-client');
  const service = await keyedPost(probe, 'publish', 'kill-gw-probe-publish', '/api/services', worker.key, {
    name: 'kill-gw-probe-publish',
    description: 'The service the gateway scenario hires',
    price_usd: '1.00',
    output_type: 'text',
    required_inputs: [{ name: 'text' }],
    max_concurrent: 1000,
  });
  await waitForFunds(probe, buyer);
  const job = await keyedPost(probe, 'hire', 'kill-gw-probe-setup-hire', '/api/jobs', buyer.key, {
    service_id: service.body.id,
    input_data: { text: 'kill-gw-probe-setup-hire' },
  });
  return { worker, buyer, serviceId: service.body.id, jobId: job.body.id };
}

function processOf(processes: Map<string, ServiceProcess>, name: string): ServiceProcess {
  const found = processes.get(name);
  if (!found) throw new Error(`no ${name} process in the stack`);
  return found;
}

/** SIGSTOP: the process keeps its connections and receives requests, but handles none until SIGCONT. */
function pause(target: ServiceProcess): number {
  const pid = target.pid;
  if (pid === undefined) throw new Error(`${target.name} is not running`);
  process.kill(pid, 'SIGSTOP');
  return pid;
}

/** Waits until the resumed services have applied the three cut-off commands; says which did. */
async function effectsApplied(db: pg.Client, jobId: string, keys: { message: string; hire: string; start: string }): Promise<string> {
  const look = async () => {
    const { rows } = await db.query<{ message: boolean; hire: boolean; start: boolean }>(
      `select exists (select 1 from messaging.messages where content->>'message' = $1) as message,
              exists (select 1 from jobs.jobs where input_data->>'text' = $2) as hire,
              exists (select 1 from jobs.job_transitions where job_id = $3 and event = 'start') as start`,
      [keys.message, keys.hire, jobId],
    );
    return rows[0] ?? { message: false, hire: false, start: false };
  };
  const deadline = Date.now() + EFFECT_TIMEOUT_MS;
  let seen = await look();
  while (!(seen.message && seen.hire && seen.start) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    seen = await look();
  }
  const applied = Object.entries(seen).flatMap(([kind, done]) => (done ? [kind] : []));
  return applied.length > 0 ? applied.join(', ') : 'none';
}

import { isSuccess } from './answer-log.ts';
import type { EffectClaim, EffectStep } from './effect-claim.ts';
import type { FinalAnswer, KeyedClient } from './keyed-client.ts';

export interface Lane {
  client: KeyedClient;
  /** Prefix of every key and marker: keeps scenarios and lanes apart in the database. */
  prefix: string;
  claims: EffectClaim[];
  /**
   * Asked before each step: once true the lifecycle stops where it is. A
   * stop then waits for one request at most (its retries are bounded), and
   * whatever the lifecycle left behind (a running job and its hold) is a
   * state the invariants accept.
   */
  stopRequested?: () => boolean;
}

export interface Agent {
  id: string;
  key: string;
}

/** The cycle cannot go on (a final answer that leaves nothing to build on); the next cycle starts afresh. */
export class CycleCut extends Error {}

const FUNDS_WAIT_MS = 60_000;
const FUNDS_POLL_MS = 100;

/**
 * One full lifecycle as two fresh agents: register both, publish, wait for
 * the client's starter grant, hire, start, deliver, write to the thread,
 * complete. Returns whether it got to the end.
 */
export async function runLifecycle(lane: Lane, cycle: number): Promise<boolean> {
  const keyOf = (step: string) => `${lane.prefix}-c${cycle}-${step}`;
  try {
    const worker = await register(lane, keyOf('register-worker'));
    const client = await register(lane, keyOf('register-client'));
    const serviceKey = keyOf('publish');
    const service = await keyedPost(lane, 'publish', serviceKey, '/api/services', worker.key, {
      name: serviceKey,
      description: 'A service of the fault suite',
      price_usd: '1.00',
      output_type: 'text',
      required_inputs: [{ name: 'text' }],
      capabilities_required: ['fault'],
      max_concurrent: 1000,
    });
    await waitForFunds(lane, client);
    const hireKey = keyOf('hire');
    const job = await keyedPost(lane, 'hire', hireKey, '/api/jobs', client.key, { service_id: service.body.id, input_data: { text: hireKey } });
    const jobId: string = job.body.id;
    await transition(lane, 'start', keyOf('start'), jobId, worker, undefined);
    await transition(lane, 'deliver', keyOf('deliver'), jobId, worker, { artifact_type: 'text', content: keyOf('deliver') });
    const messageKey = keyOf('message');
    await keyedPost(lane, 'message', messageKey, `/api/jobs/${jobId}/messages`, client.key, { content: messageKey }, jobId);
    await transition(lane, 'complete', keyOf('complete'), jobId, client, { rating: 5 });
    return true;
  } catch (error) {
    if (error instanceof CycleCut) return false;
    throw error;
  }
}

export async function register(lane: Lane, key: string): Promise<Agent> {
  const answer = await keyedPost(lane, 'register', key, '/api/agents', undefined, { name: key, capabilities: ['fault'] });
  return { id: answer.body.agent_id, key: answer.body.api_key };
}

/**
 * A job action. A repeat answered 409 `invalid_transition` means the first
 * attempt moved the job before its answer was lost: the lifecycle goes on
 * (the audit still counts the effect, and the report names the repeat that
 * did not get the first answer back).
 */
async function transition(lane: Lane, step: EffectStep, key: string, jobId: string, actor: Agent, body: unknown): Promise<void> {
  await keyedPost(lane, step, key, `/api/jobs/${jobId}/${step}`, actor.key, body, jobId);
}

/** A keyed POST whose outcome is recorded as a claim; throws CycleCut unless it succeeded (or had succeeded before its repeat). */
export async function keyedPost(
  lane: Lane,
  step: EffectStep,
  key: string,
  path: string,
  agentKey: string | undefined,
  body: unknown,
  jobId?: string,
): Promise<FinalAnswer> {
  if (lane.stopRequested?.()) throw new CycleCut('the load is stopping');
  const answer = await lane.client.send({ step, method: 'POST', path, body, agentKey, idempotencyKey: key });
  const succeeded = isSuccess(answer.status === 'gave-up' ? 0 : answer.status);
  lane.claims.push({
    step,
    idempotencyKey: key,
    marker: key,
    final: answer.status,
    retried: answer.retried,
    // A registration answers with agent_id; everything else with its own id (a service's agent_id is its owner).
    answeredId: succeeded ? (step === 'register' ? answer.body?.agent_id : answer.body?.id) : undefined,
    jobId: jobId ?? (step === 'hire' && succeeded ? answer.body?.id : undefined),
    errorCode: succeeded ? undefined : answer.body?.error?.code,
    errorText: succeeded ? undefined : JSON.stringify(answer.body?.error ?? answer.body),
  });
  const movedBeforeTheRepeat = answer.retried && answer.status === 409 && answer.body?.error?.code === 'invalid_transition';
  if (!succeeded && !movedBeforeTheRepeat) throw new CycleCut(`${step} ${key}: ${answer.status}`);
  return answer;
}

/** The starter grant follows registration through the bus: hiring before it arrives would be a 402. */
export async function waitForFunds(lane: Lane, client: Agent): Promise<void> {
  const deadline = Date.now() + FUNDS_WAIT_MS;
  while (Date.now() < deadline && !lane.stopRequested?.()) {
    const wallet = await lane.client.send({ step: 'wallet', method: 'GET', path: '/api/wallet', agentKey: client.key });
    const balances: { currency: string; available: string }[] = wallet.body?.balances ?? [];
    if (balances.some((balance) => balance.currency === 'USD' && Number(balance.available) > 0)) return;
    if (wallet.status === 'gave-up') break;
    await new Promise((resolve) => setTimeout(resolve, FUNDS_POLL_MS));
  }
  throw new CycleCut('the starter grant did not arrive');
}

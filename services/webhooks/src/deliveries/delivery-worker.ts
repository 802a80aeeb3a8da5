import type { MikroORM } from '@mikro-orm/postgresql';
import type { BackgroundTask } from '@agentmarket/messaging';
import type { Logger } from '@agentmarket/observability';
import { checkTarget, postPinned, TargetRefused, type PostOutcome, type TargetPolicy } from '@agentmarket/net-guard';
import type { ClaimedAttempt } from './attempts.repository.ts';
import { claimDueAttempts, recordFailure, recordSuccess, type FailurePolicy } from './attempts.service.ts';
import type { AttemptOutcome, DeliveryMetrics } from './delivery-metrics.ts';
import { signDelivery } from './signature.ts';

export interface DeliveryWorkerOptions {
  orm: MikroORM;
  logger: Logger;
  target: TargetPolicy;
  failures: FailurePolicy;
  timeoutMs: number;
  /** Attempts in flight on this replica at most; one endpoint never holds more than one (claimDueAttempts). */
  concurrency: number;
  pollMs: number;
  metrics: DeliveryMetrics;
}

const USER_AGENT = 'AgentMarket-Webhooks/1';
/** The header the A2A SDK's own push sender puts an A2A config's token in. */
const A2A_TOKEN_HEADER = 'x-a2a-notification-token';

/** The secrets an attempt signs with: the current one, and the previous one while its grace period lasts. */
function signingSecrets(attempt: ClaimedAttempt, now: Date): string[] {
  const previous = attempt.previous_secret && attempt.previous_secret_expires_at && new Date(attempt.previous_secret_expires_at) > now;
  return previous ? [attempt.secret, attempt.previous_secret!] : [attempt.secret];
}

/** One attempt, start to end within the timeout: the guard (DNS included) again, then the signed POST to the checked address. */
export async function sendAttempt(
  attempt: ClaimedAttempt,
  options: Pick<DeliveryWorkerOptions, 'target' | 'timeoutMs'>,
  signal?: AbortSignal,
): Promise<PostOutcome> {
  const started = Date.now();
  try {
    const target = await checkTarget(attempt.url, options.target, undefined, options.timeoutMs);
    const now = new Date();
    const headers: Record<string, string> = {
      ...signDelivery(signingSecrets(attempt, now), attempt.event_id, Math.floor(now.getTime() / 1000), attempt.body),
      'user-agent': USER_AGENT,
      ...(attempt.authorization_header ? { authorization: attempt.authorization_header } : {}),
      ...(attempt.push_token ? { [A2A_TOKEN_HEADER]: attempt.push_token } : {}),
      // A2A receivers expect A2A's own media type, as the protocol's SDKs send it.
      ...(attempt.format === 'a2a' ? { 'content-type': 'application/a2a+json' } : {}),
    };
    return await postPinned(target, attempt.body, headers, Math.max(1, options.timeoutMs - (Date.now() - started)), signal);
  } catch (error) {
    if (error instanceof TargetRefused) return { error: `refused: ${error.message}`, refused: true };
    throw error;
  }
}

/**
 * The delivery loop of one replica: claims due attempts while it has free
 * slots, runs each without waiting for the others (a hanging endpoint holds
 * one slot for at most the timeout, and only its own queue waits), records
 * each result, and claims again as slots free up or every `pollMs`.
 */
export function startDeliveryWorker(options: DeliveryWorkerOptions): BackgroundTask {
  const inFlight = new Set<Promise<void>>();
  let stopped = false;
  // Cuts attempts in flight at shutdown: unrecorded, each is made again once its lease runs out (at least once).
  const shutdown = new AbortController();
  let wake: (() => void) | undefined;
  const nudge = () => wake?.();
  // The lease outlives the attempt's timeout, so no other replica starts the same attempt while this one may still send it.
  const leaseSeconds = Math.ceil(options.timeoutMs / 1000) + 15;

  const run = async (attempt: ClaimedAttempt) => {
    const log = options.logger.child({ delivery_id: attempt.id, endpoint_id: attempt.endpoint_id, attempt: attempt.attempts });
    try {
      const started = performance.now();
      const outcome = await sendAttempt(attempt, options, shutdown.signal);
      if (shutdown.signal.aborted) return;
      const delivered = 'statusCode' in outcome && outcome.statusCode >= 200 && outcome.statusCode < 300;
      const kind: AttemptOutcome = delivered ? 'delivered' : 'statusCode' in outcome ? 'http_error' : outcome.refused ? 'refused' : 'no_answer';
      options.metrics.attempts.inc({ outcome: kind });
      options.metrics.attemptSeconds.observe({ outcome: kind }, (performance.now() - started) / 1000);
      if (delivered) {
        await recordSuccess(options.orm, attempt, outcome.statusCode);
        return;
      }
      const failure = 'statusCode' in outcome ? { statusCode: outcome.statusCode, error: `HTTP ${outcome.statusCode}` } : { statusCode: null, error: outcome.error };
      log.info({ status: failure.statusCode, error: failure.error }, 'webhook attempt failed');
      await recordFailure(options.orm, attempt, failure, options.failures);
    } catch (error) {
      // Not recorded (the database was unreachable): the lease runs out and the attempt is made again.
      log.warn({ err: error }, 'webhook attempt could not be recorded');
    }
  };

  const loop = (async () => {
    while (!stopped) {
      const free = options.concurrency - inFlight.size;
      let claimed: ClaimedAttempt[] = [];
      try {
        claimed = await claimDueAttempts(options.orm, free, leaseSeconds);
      } catch (error) {
        options.logger.warn({ err: error }, 'could not claim webhook deliveries; will retry');
      }
      for (const attempt of claimed) {
        const running: Promise<void> = run(attempt).finally(() => {
          inFlight.delete(running);
          nudge();
        });
        inFlight.add(running);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.pollMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  })();

  return {
    async stop() {
      stopped = true;
      nudge();
      await loop;
      shutdown.abort();
      await Promise.allSettled([...inFlight]);
    },
  };
}

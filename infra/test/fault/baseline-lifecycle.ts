import { AnswerLog } from './answer-log.ts';
import type { FaultMarket } from './fault-market.ts';
import { KeyedClient } from './keyed-client.ts';
import { runLifecycle } from './lifecycle-lane.ts';

/**
 * One lifecycle with no fault injected, before a scenario. If even that
 * fails (the market is broken, or an earlier scenario left it broken), the
 * scenario would only report the same breakage again after a minute of
 * waiting for a load that never flows: it fails at once with this reason
 * instead. Returns undefined when the market trades. `prefix` must be new
 * for every call: a key used before would be answered from its record.
 */
export async function whyTheMarketCannotTrade(market: FaultMarket, prefix: string): Promise<string | undefined> {
  const log = new AnswerLog();
  const client = new KeyedClient(market.stack.gatewayUrl, log, { retryForMs: 15_000, hangAfterMs: 15_000 });
  if (await runLifecycle({ client, prefix, claims: [] }, 0)) return undefined;
  const last = log.attempts.at(-1);
  return `a lifecycle with no fault did not complete: the last answer was ${last?.method} ${last?.path} → ${last?.status} ${last?.detail ?? ''}`;
}

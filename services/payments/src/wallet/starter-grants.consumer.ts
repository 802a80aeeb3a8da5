import type { MikroORM } from '@mikro-orm/postgresql';
import { AppError, CONSUMERS, UUID_PATTERN, type Currency, type EventEnvelope } from '@agentmarket/contracts';
import { applyOnce, type ConsumerSpec, type HandleOutcome } from '@agentmarket/messaging';
import type { AccountDirectory } from '../ledger/account-directory.ts';
import { creditFromWorld } from './world-credit.ts';
import { grantDayOf, takeFromDailyBudget, takeOriginSlot, type StarterGrantPolicy } from './starter-grant-policy.ts';
import { PAYMENTS_SCHEMA } from '../schema.ts';

const declaration = CONSUMERS.payments.starterGrants;

/** Registrations whose event names no address (older events) share one counter. */
const UNKNOWN_ORIGIN = 'unknown';

/**
 * Grants a new agent its starter money under the operator's policy, once:
 * `grant:<agent_id>:<currency>` from the world, with `wallet_credited`. The
 * address's daily count and the day's budget are taken in the same
 * transaction as the grant and its inbox row, so a redelivered event counts
 * nothing twice; an agent past either limit simply gets no grant.
 */
export async function onAgentRegistered(
  orm: MikroORM,
  accounts: AccountDirectory,
  policy: StarterGrantPolicy,
  envelope: EventEnvelope,
): Promise<HandleOutcome> {
  const grants = (Object.entries(policy.amount) as [Currency, number][]).filter(([currency, amount]) => amount > 0 && policy.dailyBudget[currency] > 0);
  if (envelope.type !== 'agent_registered' || grants.length === 0 || policy.perIpPerDay <= 0) return 'applied';
  const agentId = envelope.aggregate_id.toLowerCase();
  // No retry can make a malformed event valid: dead letter.
  if (!UUID_PATTERN.test(agentId)) throw new AppError('validation_failed', 'agent_registered without an agent id', { aggregate_id: agentId });
  const originIp = typeof envelope.data.origin_ip === 'string' && envelope.data.origin_ip !== '' ? envelope.data.origin_ip.slice(0, 64) : UNKNOWN_ORIGIN;
  const day = grantDayOf(envelope.occurred_at);
  return applyOnce(orm, PAYMENTS_SCHEMA, declaration.durable, envelope, async (em) => {
    if (!(await takeOriginSlot(em, day, originIp, policy.perIpPerDay))) return;
    for (const [currency, amount] of grants) {
      if (!(await takeFromDailyBudget(em, day, currency, amount, policy.dailyBudget[currency]))) continue;
      await creditFromWorld(em, accounts, { transferId: `grant:${agentId}:${currency}`, owner: { type: 'agent', id: agentId }, currency, amount, kind: 'grant' });
    }
  });
}

/** The durable consumer of `evt.agent.registered` that pays starter grants. */
export function starterGrantsConsumer(orm: MikroORM, accounts: AccountDirectory, policy: StarterGrantPolicy): ConsumerSpec {
  return { declaration, handle: (envelope) => onAgentRegistered(orm, accounts, policy, envelope) };
}

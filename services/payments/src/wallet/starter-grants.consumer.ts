import type { MikroORM } from '@mikro-orm/postgresql';
import { AppError, CONSUMERS, UUID_PATTERN, type Currency, type EventEnvelope } from '@agentmarket/contracts';
import { eventConsumer, type ConsumerSpec } from '@agentmarket/messaging';
import type { AccountDirectory } from '../ledger/account-directory.ts';
import { creditsFromWorld, type WorldCredit } from './world-credit.ts';
import { grantDayOf, takeFromDailyBudget, takeOriginSlot, type StarterGrantPolicy } from './starter-grant-policy.ts';
import { PAYMENTS_SCHEMA } from '../schema.ts';

/** Registrations whose event names no address (older events) share one counter. */
const UNKNOWN_ORIGIN = 'unknown';

interface GrantClaim {
  agentId: string;
  originIp: string;
  day: string;
}

function grantClaimOf(envelope: EventEnvelope): GrantClaim {
  const agentId = envelope.aggregate_id.toLowerCase();
  // No retry can make a malformed event valid: dead letter.
  if (!UUID_PATTERN.test(agentId)) throw new AppError('validation_failed', 'agent_registered without an agent id', { aggregate_id: agentId });
  const originIp = typeof envelope.data.origin_ip === 'string' && envelope.data.origin_ip !== '' ? envelope.data.origin_ip.slice(0, 64) : UNKNOWN_ORIGIN;
  return { agentId, originIp, day: grantDayOf(envelope.occurred_at) };
}

/**
 * The durable consumer of `evt.agent.registered` that grants a new agent its
 * starter money under the operator's policy, once: `grant:<agent_id>:<currency>`
 * from the world, with `wallet_credited`. The address's daily count and the
 * day's budget are taken in the same transaction as the grant and its inbox
 * row, so a redelivered event counts nothing twice; an agent past either
 * limit simply gets no grant. With no grant configured, events are acknowledged untouched.
 */
export function starterGrantsConsumer(orm: MikroORM, accounts: AccountDirectory, policy: StarterGrantPolicy): ConsumerSpec {
  const grants = (Object.entries(policy.amount) as [Currency, number][]).filter(([currency, amount]) => amount > 0 && policy.dailyBudget[currency] > 0);
  const granting = grants.length > 0 && policy.perIpPerDay > 0;
  return eventConsumer<GrantClaim>({
    declaration: CONSUMERS.payments.starterGrants,
    orm,
    schema: PAYMENTS_SCHEMA,
    reads: granting ? ['agent_registered'] : [],
    prepare: grantClaimOf,
    apply: async (em, events) => {
      // One agent after the other, in stream order: each takes its slot and budget before the next.
      const credits: WorldCredit[] = [];
      for (const { change } of events) {
        if (!(await takeOriginSlot(em, change.day, change.originIp, policy.perIpPerDay))) continue;
        for (const [currency, amount] of grants) {
          if (!(await takeFromDailyBudget(em, change.day, currency, amount, policy.dailyBudget[currency]))) continue;
          const owner = { type: 'agent', id: change.agentId } as const;
          credits.push({ transferId: `grant:${change.agentId}:${currency}`, owner, currency, amount, kind: 'grant' });
        }
      }
      // All of them at once: the batch creates every account it needs before it takes the world's balance row.
      await creditsFromWorld(em, accounts, credits);
    },
  });
}

import type { MikroORM } from '@mikro-orm/postgresql';
import { AppError, CONSUMERS, UUID_PATTERN, type Currency, type EventEnvelope } from '@agentmarket/contracts';
import { applyOnce, type ConsumerSpec, type HandleOutcome } from '@agentmarket/messaging';
import type { AccountDirectory } from '../ledger/account-directory.ts';
import { creditFromWorld } from './world-credit.ts';
import { PAYMENTS_SCHEMA } from '../schema.ts';

const declaration = CONSUMERS.payments.starterGrants;

/** What a newly registered agent receives from the outside world, per currency (0 = nothing). */
export type StarterGrant = Record<Currency, number>;

/** Grants a new agent its starter money, once: `grant:<agent_id>:<currency>` from the world, with `wallet_credited`. */
export async function onAgentRegistered(
  orm: MikroORM,
  accounts: AccountDirectory,
  grant: StarterGrant,
  envelope: EventEnvelope,
): Promise<HandleOutcome> {
  const grants = (Object.entries(grant) as [Currency, number][]).filter(([, amount]) => amount > 0);
  if (envelope.type !== 'agent_registered' || grants.length === 0) return 'applied';
  const agentId = envelope.aggregate_id.toLowerCase();
  // No retry can make a malformed event valid: dead letter.
  if (!UUID_PATTERN.test(agentId)) throw new AppError('validation_failed', 'agent_registered without an agent id', { aggregate_id: agentId });
  return applyOnce(orm, PAYMENTS_SCHEMA, declaration.durable, envelope, async (em) => {
    for (const [currency, amount] of grants) {
      await creditFromWorld(em, accounts, { transferId: `grant:${agentId}:${currency}`, owner: { type: 'agent', id: agentId }, currency, amount, kind: 'grant' });
    }
  });
}

/** The durable consumer of `evt.agent.registered` that pays starter grants. */
export function starterGrantsConsumer(orm: MikroORM, accounts: AccountDirectory, grant: StarterGrant): ConsumerSpec {
  return { declaration, handle: (envelope) => onAgentRegistered(orm, accounts, grant, envelope) };
}

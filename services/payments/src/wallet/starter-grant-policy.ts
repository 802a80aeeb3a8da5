import type { EntityManager } from '@mikro-orm/postgresql';
import type { Currency } from '@agentmarket/contracts';
import { addToDayGranted, countOriginGrant } from './starter-grants.repository.ts';

/** The operator's starter grant policy (payments settings). Every part 0 = no grants: the production default. */
export interface StarterGrantPolicy {
  /** What one new agent receives, per currency (minor units). */
  amount: Record<Currency, number>;
  /** What all grants of one UTC day may add up to, per currency. */
  dailyBudget: Record<Currency, number>;
  /** Agents registered from one address that receive a grant per UTC day. */
  perIpPerDay: number;
}

/** The UTC day a registration counts against: the event's own time, so a redelivery counts on the same day. */
export function grantDayOf(occurredAt: string): string {
  const at = new Date(occurredAt);
  return (Number.isNaN(at.getTime()) ? new Date() : at).toISOString().slice(0, 10);
}

/**
 * Takes one of the address's grants for the day, if any is left. The
 * conditional upsert locks the counter row, so concurrent consumers cannot
 * both take the last one.
 */
export async function takeOriginSlot(em: EntityManager, day: string, originIp: string, perIpPerDay: number): Promise<boolean> {
  if (perIpPerDay <= 0) return false;
  return countOriginGrant(em, day, originIp, perIpPerDay);
}

/**
 * Takes `amount` from the day's budget in `currency`, all of it or nothing
 * (a grant is never cut short); the same row lock keeps concurrent grants
 * from overdrawing it.
 */
export async function takeFromDailyBudget(em: EntityManager, day: string, currency: Currency, amount: number, budget: number): Promise<boolean> {
  if (amount <= 0 || amount > budget) return false;
  return addToDayGranted(em, day, currency, amount, budget);
}

import type { EntityManager } from '@mikro-orm/postgresql';
import type { Currency } from '@agentmarket/contracts';
import { PAYMENTS_SCHEMA } from '../schema.ts';

/** Counts one more grant for the address on the day unless it has `perIpPerDay` already; false then. The upsert locks the counter row. */
export async function countOriginGrant(em: EntityManager, day: string, originIp: string, perIpPerDay: number): Promise<boolean> {
  const taken = await em.execute<{ grants: number }[]>(
    `insert into ${PAYMENTS_SCHEMA}.starter_grant_origins as o (day, origin_ip, grants) values (?::date, ?, 1)
     on conflict (day, origin_ip) do update set grants = o.grants + 1 where o.grants < ?
     returning grants`,
    [day, originIp, perIpPerDay],
    'all',
  );
  return taken.length === 1;
}

/** Adds `amount` to what the day granted in `currency` unless that would pass `budget`; false then. The upsert locks the day's row. */
export async function addToDayGranted(em: EntityManager, day: string, currency: Currency, amount: number, budget: number): Promise<boolean> {
  const taken = await em.execute<{ granted: string }[]>(
    `insert into ${PAYMENTS_SCHEMA}.starter_grant_budget as b (day, currency, granted) values (?::date, ?, ?)
     on conflict (day, currency) do update set granted = b.granted + excluded.granted where b.granted + excluded.granted <= ?
     returning granted`,
    [day, currency, amount, budget],
    'all',
  );
  return taken.length === 1;
}

import type { HoldView } from '@agentmarket/contracts';
import type { HoldRow } from './hold-rows.ts';

/** A hold as the bus shows it. An abandoned id never held money: amount 0, currency reported as USD. */
export function toHoldView(row: HoldRow): HoldView {
  return { hold_id: row.hold_id, status: row.status, currency: row.currency ?? 'USD', amount: Number(row.amount) };
}

import { centsToUsd, type TipView } from '@agentmarket/contracts';
import type { TipRow } from './tip-rows.ts';

/** A tip as its client sees it: the amount and the fee in the job's currency (the other currency's fields null). */
export function toTipView(row: TipRow): TipView {
  const amount = Number(row.amount);
  const fee = Number(row.fee_amount ?? 0);
  const usd = row.currency === 'USD';
  return {
    id: row.id,
    job_id: row.job_id,
    currency: row.currency,
    amount_usd: usd ? centsToUsd(amount) : null,
    amount_sats: usd ? null : amount,
    fee_usd: usd ? centsToUsd(fee) : null,
    fee_sats: usd ? null : fee,
    created_at: new Date(row.created_at).toISOString(),
  };
}

import type { Currency } from '@agentmarket/contracts';

/** A row of jobs.tips, as the driver hands it over (bigint and timestamps as text). */
export interface TipRow {
  id: string;
  job_id: string;
  currency: Currency;
  amount: string;
  fee_amount: string | null;
  idempotency_key: string | null;
  status: 'pending' | 'recorded';
  created_at: string;
}

import type { BidStatus, Currency } from '@agentmarket/contracts';

/** A bid as stored: its price pinned in minor units of the task's currency. */
export interface BidRow {
  id: string;
  task_id: string;
  agent_id: string;
  service_id: string;
  currency: Currency;
  price: number;
  eta_minutes: number | null;
  note: string | null;
  status: BidStatus;
  job_id: string | null;
  created_at: Date;
}

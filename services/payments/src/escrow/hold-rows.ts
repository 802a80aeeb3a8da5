import type { Currency, HoldView } from '@agentmarket/contracts';

export type HoldStatus = HoldView['status'];

/** A row of payments.holds with its payer's owner key (null for an abandoned id that never held money). */
export interface HoldRow {
  hold_id: string;
  payer_account_id: string | null;
  payer_key: string | null;
  payee_agent_id: string | null;
  currency: Currency | null;
  amount: string;
  status: HoldStatus;
}

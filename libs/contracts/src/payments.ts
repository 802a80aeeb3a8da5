import { z } from 'zod';
import { currencySchema, satsAmountSchema, usdAmountSchema } from './money.ts';
import { cursorSchema, limitSchema, type Page } from './pagination.ts';

const uuid = z.string().uuid();

/** Who owns a wallet: an agent, or a person (a buyer or an admin). */
export const walletOwnerSchema = z.strictObject({ type: z.enum(['agent', 'user']), id: uuid });
export type WalletOwner = z.infer<typeof walletOwnerSchema>;

// ---- commands (jobs → payments): amounts in minor units ----

/**
 * Moves a job's price from the payer's available balance into escrow. The
 * hold id is the job id: a repeat is answered with the existing hold.
 * `insufficient_funds` when the payer cannot pay; `conflict` when the hold
 * was abandoned before.
 */
export const placeHoldCommandSchema = z.strictObject({
  hold_id: uuid,
  payer: walletOwnerSchema,
  payee_agent_id: uuid,
  currency: currencySchema,
  amount: z.number().int().positive(),
  /** A subtask budget to fund with the hold, from the same payer, in the same transaction. */
  budget: z.number().int().positive().optional(),
  /** Pay from this job's subtask budget instead of the payer's wallet (`budget_exhausted` when it cannot cover). */
  funded_by_job_id: uuid.optional(),
  /** The evaluator's fee, held with the price as a hold of its own (its payee is the evaluator), or neither is. */
  evaluator: z.strictObject({ hold_id: uuid, agent_id: uuid, amount: z.number().int().positive() }).optional(),
});
export type PlaceHoldCommand = z.infer<typeof placeHoldCommandSchema>;

/** A tip from the payer's wallet to the worker, once per tip id (jobs checks who may tip what). */
export const transferTipCommandSchema = z.strictObject({
  tip_id: uuid,
  job_id: uuid,
  payer: walletOwnerSchema,
  payee_agent_id: uuid,
  currency: currencySchema,
  amount: z.number().int().positive(),
});
export type TransferTipCommand = z.infer<typeof transferTipCommandSchema>;
/** Where a tip went, in minor units: `worker_amount` + `fee_amount` = the tip. */
export const tipTransferSchema = z.object({ tip_id: z.string(), currency: currencySchema, amount: z.number(), worker_amount: z.number(), fee_amount: z.number() });
export type TipTransferView = z.infer<typeof tipTransferSchema>;

/**
 * executor → payments: a hosted job's model cost so far (all its calls), in
 * micro-USD. Cumulative, so a repeat or a late duplicate changes nothing;
 * charged to the seller when the job's hold settles.
 */
export const recordModelCostCommandSchema = z.strictObject({
  hold_id: uuid,
  seller_agent_id: uuid,
  cost_micro_usd: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
});
export type RecordModelCostCommand = z.infer<typeof recordModelCostCommandSchema>;
/** The cost recorded for the hold; `chargeable` is false when the hold was already settled (the cost is then not charged). */
export const modelCostSchema = z.object({ hold_id: z.string(), cost_micro_usd: z.number().int(), chargeable: z.boolean() });
export type ModelCostView = z.infer<typeof modelCostSchema>;

/** Gives up a hold that a job will never use: refunds it if it exists, and makes any later attempt to place it fail. */
export const abandonHoldCommandSchema = z.strictObject({ hold_id: uuid });

export const HOLD_STATUSES = ['held', 'released', 'refunded', 'split', 'abandoned'] as const;
export const holdSchema = z.object({
  hold_id: z.string(),
  status: z.enum(HOLD_STATUSES),
  currency: currencySchema,
  amount: z.number().int(),
});
export type HoldView = z.infer<typeof holdSchema>;

// ---- HTTP and commands (gateway → payments) ----
export const walletQueryCommandSchema = z.strictObject({ owner: walletOwnerSchema });

export const transactionsQuerySchema = z.strictObject({
  currency: currencySchema.optional(),
  limit: limitSchema,
  cursor: cursorSchema.optional(),
});
export const transactionsCommandSchema = z.strictObject({ owner: walletOwnerSchema, query: transactionsQuerySchema });

/** POST /api/admin/credit: exactly one recipient and one amount. */
export const adminCreditInputSchema = z
  .strictObject({
    agent_id: uuid.optional(),
    user_id: uuid.optional(),
    amount_usd: usdAmountSchema.optional(),
    amount_sats: satsAmountSchema.optional(),
    note: z.string().trim().max(500).optional(),
  })
  .refine((input) => (input.agent_id === undefined) !== (input.user_id === undefined), {
    message: 'Send exactly one of agent_id, user_id',
    path: ['agent_id'],
  })
  .refine((input) => (input.amount_usd === undefined) !== (input.amount_sats === undefined), {
    message: 'Send exactly one of amount_usd, amount_sats',
    path: ['amount_usd'],
  })
  .refine((input) => (input.amount_usd ?? input.amount_sats ?? 0) > 0, { message: 'The amount must be positive', path: ['amount_usd'] });

/** A credit as it travels on the bus: minor units, and a transfer id that makes a retry a no-op. */
export const creditCommandSchema = z.strictObject({
  transfer_id: z.string().min(1).max(200),
  owner: walletOwnerSchema,
  currency: currencySchema,
  amount: z.number().int().positive(),
  note: z.string().max(500).optional(),
  /** The admin who credits (user id, or `admin-key`): named in the event, so the audit trail can attribute it. */
  credited_by: z.string().min(1).max(200).optional(),
});
export type CreditCommand = z.infer<typeof creditCommandSchema>;

// ---- replies ----
/** `available` and `held` are "10.00" strings for USD and integers for SAT, like every amount on the edge. */
export const balanceSchema = z.object({
  currency: currencySchema,
  available: z.union([z.string(), z.number()]),
  held: z.union([z.string(), z.number()]),
});
export const walletSchema = z.object({ owner: z.object({ type: z.string(), id: z.string() }), balances: z.array(balanceSchema) });
export type WalletView = z.infer<typeof walletSchema>;

/** `model_cost`: a hosted job's model cost, from escrow (out of the worker's part); `seller_model_cost`: the rest of it, from the seller's wallet. */
/**
 * `tip`: a client's tip to the worker of an ended job (after the fee); `tip_fee`: the platform's fee on it;
 * `budget`: a job's subtask budget funded at hire; `budget_return`: what was left of it when the job ended.
 */
export const TRANSFER_KINDS = ['grant', 'credit', 'hold', 'release', 'fee', 'refund', 'model_cost', 'seller_model_cost', 'tip', 'tip_fee', 'budget', 'budget_return'] as const;
export const ledgerEntrySchema = z.object({
  id: z.string(),
  transfer_id: z.string(),
  kind: z.enum(TRANSFER_KINDS),
  currency: currencySchema,
  /** Positive when money came in, negative when it went out; same units as the wallet. */
  amount: z.union([z.string(), z.number()]),
  job_id: z.string().nullable(),
  created_at: z.string(),
});
export type LedgerEntryView = z.infer<typeof ledgerEntrySchema>;
export type LedgerEntryPage = Page<LedgerEntryView>;

export const creditedSchema = z.object({ transfer_id: z.string(), wallet: walletSchema });
export type CreditedView = z.infer<typeof creditedSchema>;

/** Money figures for GET /api/stats, in minor units per currency. */
export const paymentStatsSchema = z.object({
  volume: z.array(z.object({ currency: currencySchema, amount: z.number() })),
  fees: z.array(z.object({ currency: currencySchema, amount: z.number() })),
  held: z.array(z.object({ currency: currencySchema, amount: z.number() })),
  top_earners: z.array(z.object({ agent_id: z.string(), currency: currencySchema, amount: z.number() })),
});
export type PaymentStats = z.infer<typeof paymentStatsSchema>;

// ---- events (data in minor units) ----
/** `escrow_*` events: what happened to one job's hold. */
export interface EscrowEventData extends Record<string, unknown> {
  hold_id: string;
  job_id: string;
  client_agent_id: string | null;
  client_user_id: string | null;
  worker_agent_id: string;
  currency: 'USD' | 'SAT';
  amount: number;
  /** Paid to the worker (release, split), refunded to the client (refund, split), kept by the platform. */
  worker_amount: number;
  client_amount: number;
  fee_amount: number;
  /** A hosted job's model cost taken from the worker's part (0 otherwise); worker + client + fee + model cost = amount. */
  model_cost_amount?: number;
}

/** payments.budgets.get: the subtask budgets of some jobs, in minor units. */
export const budgetsQuerySchema = z.strictObject({ job_ids: z.array(uuid).max(1000) });
export const budgetViewSchema = z.object({
  job_id: z.string(),
  currency: currencySchema,
  /** What was put in at hire. */
  amount: z.number(),
  /** What is in it now (0 once closed). */
  balance: z.number(),
  /** What went back to the funder when the job ended (and any refund that followed). */
  returned: z.number(),
  closed: z.boolean(),
});
export type BudgetView = z.infer<typeof budgetViewSchema>;

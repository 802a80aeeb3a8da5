import { z } from 'zod';
import { currencySchema, satsAmountSchema, usdAmountSchema } from './money.ts';
import { candidateScoreSchema, taskSchema } from './tasks.ts';
import { clientSchema, jobSchema } from './jobs.ts';

/** `active` until withdrawn, replaced by the bidder's next bid, accepted, or rejected (another bid won, or the task closed). */
export const BID_STATUSES = ['active', 'withdrawn', 'replaced', 'accepted', 'rejected'] as const;
export type BidStatus = (typeof BID_STATUSES)[number];

/** POST /api/tasks/{id}/bids: the service's owner offers it at a price within the task's budget. */
export const placeBidInputSchema = z
  .strictObject({
    service_id: z.string().uuid(),
    price_usd: usdAmountSchema.optional(),
    price_sats: satsAmountSchema.optional(),
    eta_minutes: z.number().int().min(1).max(525_600).optional(),
    note: z.string().trim().max(2000).optional(),
  })
  .refine((bid) => (bid.price_usd === undefined) !== (bid.price_sats === undefined), {
    message: 'Send exactly one of price_usd, price_sats',
    path: ['price_usd'],
  });
export type PlaceBidInput = z.infer<typeof placeBidInputSchema>;

export const bidSchema = z.object({
  id: z.string(),
  task_id: z.string(),
  agent_id: z.string(),
  service_id: z.string(),
  currency: currencySchema,
  price_usd: z.string().nullable(),
  price_sats: z.number().nullable(),
  eta_minutes: z.number().nullable(),
  note: z.string().nullable(),
  status: z.enum(BID_STATUSES),
  /** The hire an accepted bid became. */
  job_id: z.string().nullable(),
  created_at: z.string(),
  /** What only the poster sees (null in a bidder's own view): the bidder's figures and the coordinator's score for the bid. */
  agent_name: z.string().nullable(),
  reputation_score: z.string().nullable(),
  success_rate: z.number().nullable(),
  score: z.number().nullable(),
  breakdown: candidateScoreSchema.nullable(),
});
export type BidView = z.infer<typeof bidSchema>;

export const bidPageSchema = z.object({ data: z.array(bidSchema), next_cursor: z.string().nullable() });
export type BidPage = z.infer<typeof bidPageSchema>;

/** POST /api/tasks/{id}/bids/{bid_id}/accept → the task, now assigned, and the job hired at the bid's price. */
export const acceptedBidSchema = z.object({ task: taskSchema, job: jobSchema });
export type AcceptedBid = z.infer<typeof acceptedBidSchema>;

const agentCallerSchema = z.strictObject({ type: z.literal('agent'), id: z.string().uuid() });
const bidCallerSchema = z.object({ type: z.enum(['agent', 'user', 'admin']), id: z.string().nullable() });

export const placeBidCommandSchema = z.strictObject({ task_id: z.string().uuid(), bidder: agentCallerSchema, bid: placeBidInputSchema });
export const withdrawBidCommandSchema = z.strictObject({ task_id: z.string().uuid(), bid_id: z.string().uuid(), bidder: agentCallerSchema });
export const listBidsCommandSchema = z.strictObject({ task_id: z.string().uuid(), caller: bidCallerSchema });
export const acceptBidCommandSchema = z.strictObject({ task_id: z.string().uuid(), bid_id: z.string().uuid(), client: clientSchema });

import type { Currency } from '@agentmarket/contracts';
import type { PartyRef } from '../lineage/owner-roots.ts';

/** A rating as stored: one per job, dated by the event that gave it; `rater` is the client's owner root once known. */
export interface NewRating {
  jobId: string;
  agentId: string;
  rating: number;
  ratedAt: Date;
  rater?: string | null;
}

/** One thing an event changes about one agent's standing. */
export type StandingChange =
  | { kind: 'completed'; agentId: string; onTime: boolean; rating: NewRating | null; client?: PartyRef | null }
  | { kind: 'failed'; agentId: string; client?: PartyRef | null }
  | { kind: 'hired'; agentId: string }
  /** The worker rated its client (agentId, the client); `worker` names the rater for the self-dealing check and its owner root. */
  | { kind: 'client_rated'; agentId: string; rating: NewRating; worker: PartyRef }
  | { kind: 'earned'; agentId: string; currency: Currency; amount: number }
  | { kind: 'spent'; agentId: string; currency: Currency; amount: number };

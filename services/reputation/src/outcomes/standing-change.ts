import type { Currency } from '@agentmarket/contracts';

/** A rating as stored: one per job, dated by the event that gave it. */
export interface NewRating {
  jobId: string;
  agentId: string;
  rating: number;
  ratedAt: Date;
}

/** One thing an event changes about one agent's standing. */
export type StandingChange =
  | { kind: 'completed'; agentId: string; onTime: boolean; rating: NewRating | null }
  | { kind: 'failed'; agentId: string }
  | { kind: 'hired'; agentId: string }
  | { kind: 'earned'; agentId: string; currency: Currency; amount: number }
  | { kind: 'spent'; agentId: string; currency: Currency; amount: number };

import type { Currency } from '@agentmarket/contracts';
import type { NewRating, StandingChange } from '../outcomes/standing-change.ts';

/** How one transaction moves one agent's counters. */
export interface CounterDelta {
  agentId: string;
  completed: number;
  onTime: number;
  failed: number;
  hired: number;
}

/** How one transaction moves one agent's money in one currency (minor units). */
export interface MoneyDelta {
  agentId: string;
  currency: Currency;
  earned: number;
  spent: number;
}

export interface StandingDelta {
  /** One per agent changed, sorted by agent id: rows are locked in this order, so concurrent batches cannot deadlock. */
  counters: CounterDelta[];
  /** One per (agent, currency), sorted likewise. */
  money: MoneyDelta[];
  /** At most one per job: the first one given. */
  ratings: NewRating[];
  /** Ratings of clients by their workers, likewise at most one per job. */
  clientRatings: NewRating[];
}

/** Folds the changes of one transaction into one delta per agent (and per agent and currency). */
export function summarizeChanges(changes: readonly StandingChange[]): StandingDelta {
  const counters = new Map<string, CounterDelta>();
  const money = new Map<string, MoneyDelta>();
  const ratings = new Map<string, NewRating>();
  const clientRatings = new Map<string, NewRating>();
  const countersOf = (agentId: string): CounterDelta => {
    let delta = counters.get(agentId);
    if (!delta) counters.set(agentId, (delta = { agentId, completed: 0, onTime: 0, failed: 0, hired: 0 }));
    return delta;
  };
  const moneyOf = (agentId: string, currency: Currency): MoneyDelta => {
    const key = `${agentId}/${currency}`;
    let delta = money.get(key);
    if (!delta) money.set(key, (delta = { agentId, currency, earned: 0, spent: 0 }));
    return delta;
  };
  for (const change of changes) {
    // Every change touches the agent's row: its version and updated_at move, and it gets a reputation_updated.
    const agent = countersOf(change.agentId);
    switch (change.kind) {
      case 'completed':
        agent.completed += 1;
        if (change.onTime) agent.onTime += 1;
        if (change.rating && !ratings.has(change.rating.jobId)) ratings.set(change.rating.jobId, change.rating);
        break;
      case 'failed':
        agent.failed += 1;
        break;
      case 'hired':
        agent.hired += 1;
        break;
      case 'client_rated':
        if (!clientRatings.has(change.rating.jobId)) clientRatings.set(change.rating.jobId, change.rating);
        break;
      case 'earned':
        moneyOf(change.agentId, change.currency).earned += change.amount;
        break;
      case 'spent':
        moneyOf(change.agentId, change.currency).spent += change.amount;
        break;
    }
  }
  return {
    counters: [...counters.values()].sort((a, b) => compare(a.agentId, b.agentId)),
    money: [...money.values()].sort((a, b) => compare(a.agentId, b.agentId) || compare(a.currency, b.currency)),
    ratings: [...ratings.values()],
    clientRatings: [...clientRatings.values()],
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

import type { DrainWait } from '@agentmarket/testing';

/**
 * What a closed-loop load left for later: it keeps the machine busy with
 * requests, and the asynchronous work behind them (projections, notices,
 * settlement) may fall behind and finish after its window. That work is part
 * of the lifecycles' cost, so the bench waits for it and counts its time.
 */
export interface LeftBehind {
  /** Outbox rows unsent plus consumer messages not yet settled, when the window closed. */
  messages: number;
  /** How long the stack took to work them off. */
  drainS: number;
  /** Lifecycles over the window plus that time: the rate the stack sustains with nothing left behind. */
  sustainedPerSec: number;
}

export function leftBehind(lifecycles: number, windowS: number, drain: DrainWait): LeftBehind {
  const drainS = drain.drainedAfterMs / 1000;
  return { messages: drain.backlogAtStart, drainS, sustainedPerSec: lifecycles / (windowS + drainS) };
}

import type pg from 'pg';
import type { StepKind } from './answer-log.ts';
import type { EffectClaim } from './effect-claim.ts';
import type { FaultMarket } from './fault-market.ts';
import type { KeyedClient } from './keyed-client.ts';

/** What a fault gets to work with: the market, a database connection, and a client whose answers count in the scenario's figures. */
export interface FaultContext {
  market: FaultMarket;
  db: pg.Client;
  client: KeyedClient;
}

export interface FaultOutcome {
  /** When the fault stopped being injected (the process killed, Postgres resumed, NATS back): recovery is measured from here. */
  endedAt: number;
  /** Keyed requests the fault made itself (the gateway scenario's requests in flight), audited like the load's. */
  claims: EffectClaim[];
  /** Facts for the report, e.g. who restarted a process. */
  notes: string[];
}

/** One fault the suite injects while the background load runs. */
export interface Fault {
  /** The table's row label. */
  name: string;
  /** Prefix of every key and marker of the scenario: short, unique, no spaces. */
  slug: string;
  /** The steps that need the faulted part: the first of them to succeed after the fault marks the recovery. */
  recoverySteps: readonly StepKind[];
  /** Killing the gateway cuts connections: only then is a failed connection an expected answer. */
  killsGateway: boolean;
  inject(context: FaultContext): Promise<FaultOutcome>;
}

export const EVERY_STEP: readonly StepKind[] = ['register', 'publish', 'hire', 'start', 'deliver', 'message', 'complete'];

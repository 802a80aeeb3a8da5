import type { StepKind } from './answer-log.ts';
import type { FinalAnswer } from './keyed-client.ts';

/** The lifecycle steps that write something; the wallet read does not. */
export type EffectStep = Exclude<StepKind, 'wallet'>;

/**
 * One keyed POST and what its client was finally told. After the scenario
 * the audit looks for its effect in the database: missing although the
 * client saw a 2xx is a loss, present twice is a duplicate.
 */
export interface EffectClaim {
  step: EffectStep;
  idempotencyKey: string;
  /**
   * Written into the effect itself (agent name, service name, job input,
   * deliverable, message text) so that the database shows which request
   * made which row, even with no idempotency record in any service.
   */
  marker: string;
  final: FinalAnswer['status'];
  /** The first attempt was cut off or refused, so the final answer is the answer to a repeat. */
  retried: boolean;
  /** The id a 2xx answer named: the agent, service, job or message. */
  answeredId: string | undefined;
  /** The job a transition or message was about. */
  jobId: string | undefined;
  /** The error code of a final 4xx. */
  errorCode: string | undefined;
  /** The whole error of a final 4xx (code, message, details), for the report. */
  errorText: string | undefined;
}

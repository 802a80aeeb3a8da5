import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * One model call of one hosted job: the audit trail, and the count of
 * attempts a job has used (a row without `finished_at` is a call that a
 * crash cut off; `outcome = 'aborted'` is one a shutdown cut off, which does
 * not count).
 */
export const LlmCallSchema = defineEntity({
  name: 'LlmCall',
  tableName: 'llm_calls',
  properties: {
    id: p.bigint('number').primary(),
    jobId: p.uuid(),
    /** The hosted service's owner, who pays for the call (its daily spend is capped). */
    sellerAgentId: p.uuid().nullable(),
    /** The job's revision the call was for: 0 for the hire's work, n for the nth revision. Attempts are numbered per revision. */
    revision: p.integer().default(0),
    attempt: p.integer(),
    model: p.text(),
    startedAt: p.datetime(),
    finishedAt: p.datetime().nullable(),
    outcome: p.text().nullable(),
    statusCode: p.integer().nullable(),
    promptTokens: p.integer().nullable(),
    completionTokens: p.integer().nullable(),
    totalTokens: p.integer().nullable(),
    /** The provider sent no usage: the token figures are the executor's estimate. */
    usageEstimated: p.boolean(),
    latencyMs: p.integer().nullable(),
    costUsd: p.string().columnType('numeric(18,6)').nullable(),
    finishReason: p.text().nullable(),
    /** The answer of a successful call, so that a redelivery after a crash delivers it instead of paying for another call. */
    content: p.text().nullable(),
    error: p.text().nullable(),
  },
});

export type LlmCall = InferEntity<typeof LlmCallSchema>;

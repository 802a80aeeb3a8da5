import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { Candidate } from '@agentmarket/contracts';

export const TaskSchema = defineEntity({
  name: 'Task',
  tableName: 'tasks',
  properties: {
    id: p.uuid().primary(),
    clientAgentId: p.uuid().nullable(),
    clientUserId: p.uuid().nullable(),
    title: p.string(),
    description: p.text(),
    capabilitiesRequired: p.array().columnType('text[]'),
    complexity: p.smallint(),
    currency: p.string(),
    budget: p.bigint('number'),
    inputData: p.json<Record<string, unknown>>(),
    status: p.string(),
    /** Every eligible candidate, best first, as scored when the task arrived: reassignment walks this list. */
    candidates: p.json<Candidate[]>(),
    currentJobId: p.uuid().nullable(),
    idempotencyKey: p.string().nullable(),
    mode: p.string().default('auto'),
    autoAccept: p.boolean().default(false),
    /** When a bidding task stops taking bids (null for `auto`). */
    closesAt: p.datetime().nullable(),
    /** The bid being hired: set before the hire, so no second acceptance can start one. */
    acceptingBidId: p.uuid().nullable(),
    /** Active bids. */
    bidCount: p.integer().default(0),
    version: p.integer().default(1),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});
export type Task = InferEntity<typeof TaskSchema>;

export const TaskAttemptSchema = defineEntity({
  name: 'TaskAttempt',
  tableName: 'task_attempts',
  properties: {
    taskId: p.uuid().primary(),
    attempt: p.smallint().primary(),
    jobId: p.uuid(),
    serviceId: p.uuid(),
    agentId: p.uuid(),
    complexity: p.smallint(),
    createdAt: p.datetime(),
  },
});
export type TaskAttempt = InferEntity<typeof TaskAttemptSchema>;

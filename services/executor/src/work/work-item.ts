import { eventEnvelopeSchema, llmWorkSchema, type LlmWork } from '@agentmarket/contracts';
import { decodeJson } from '@agentmarket/messaging';
import type { WorkKey } from '../calls/llm-calls.repository.ts';
import type { RevisionRequest } from '../llm/revision-prompt.ts';

/** The LlmWork inside a work message (an `llm_work_requested` envelope), or why it is unreadable. */
export function readWorkItem(data: Uint8Array): { ok: true; work: LlmWork } | { ok: false; reason: string } {
  let raw: unknown;
  try {
    raw = decodeJson(data);
  } catch {
    return { ok: false, reason: 'malformed work item: not JSON' };
  }
  const envelope = eventEnvelopeSchema.safeParse(raw);
  if (!envelope.success) return { ok: false, reason: 'malformed work item: not an event envelope' };
  if (envelope.data.type !== 'llm_work_requested') return { ok: false, reason: `unexpected event type on WORK: ${envelope.data.type}` };
  const work = llmWorkSchema.safeParse(envelope.data.data);
  if (!work.success) {
    const issue = work.error.issues[0];
    return { ok: false, reason: `malformed work item: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid data'}` };
  }
  // A revision cannot be prompted without what it revises and why.
  if (work.data.revision !== undefined && (work.data.feedback === undefined || work.data.previous_deliverable === undefined)) {
    return { ok: false, reason: 'malformed work item: a revision needs feedback and previous_deliverable' };
  }
  return { ok: true, work: work.data };
}

/** Which piece of the job's work the item asks for: the hire's (revision 0) or a revision's. */
export function workKeyOf(work: LlmWork): WorkKey {
  return { jobId: work.job_id, revision: work.revision ?? 0 };
}

/** What a revision item adds to the prompt; undefined for the hire's item. */
export function revisionOf(work: LlmWork): RevisionRequest | undefined {
  if (work.revision === undefined) return undefined;
  return { revision: work.revision, feedback: work.feedback ?? '', previous: work.previous_deliverable?.content };
}

import { eventEnvelopeSchema, llmWorkSchema, type LlmWork } from '@agentmarket/contracts';
import { decodeJson } from '@agentmarket/messaging';

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
  return { ok: true, work: work.data };
}

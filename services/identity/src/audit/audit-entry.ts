import type { EventEnvelope } from '@agentmarket/contracts';

/** One attributed admin action, as the audit table keeps it. */
export interface AuditRecord {
  id: string;
  admin: string;
  action: string;
  targetType: string;
  targetId: string;
  details: Record<string, unknown>;
  at: string;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

const SUSPENSIONS: Record<string, { action: string; target: 'agent' | 'service' }> = {
  agent_suspended: { action: 'suspend_agent', target: 'agent' },
  agent_unsuspended: { action: 'unsuspend_agent', target: 'agent' },
  service_suspended: { action: 'suspend_service', target: 'service' },
  service_unsuspended: { action: 'unsuspend_service', target: 'service' },
};

/**
 * The audit record of an event an admin caused, or undefined for every other
 * event. Each kind of admin action already says who acted: a resolution's
 * actor (only admins resolve), a credit's `credited_by`, a suspension's `admin`.
 */
export function auditRecordOf(envelope: EventEnvelope): AuditRecord | undefined {
  const base = { id: envelope.id, at: envelope.occurred_at };
  const data = envelope.data;
  if (envelope.type === 'job_resolved') {
    return {
      ...base,
      admin: text(envelope.actor.id) ?? 'unknown',
      action: 'resolve',
      targetType: 'job',
      targetId: envelope.aggregate_id,
      details: { worker_share_pct: data.worker_share_pct ?? null, note: data.note ?? null },
    };
  }
  if (envelope.type === 'wallet_credited') {
    const admin = text(data.credited_by);
    // Starter grants are credits too, by no one: they are not admin actions.
    if (!admin) return undefined;
    const owner = text(data.agent_id) ? { type: 'agent', id: data.agent_id as string } : { type: 'user', id: text(data.user_id) ?? envelope.aggregate_id };
    return {
      ...base,
      admin,
      action: 'credit',
      targetType: owner.type,
      targetId: owner.id,
      details: { currency: data.currency ?? null, amount: data.amount ?? null, transfer_id: data.transfer_id ?? null, note: data.note ?? null },
    };
  }
  const suspension = SUSPENSIONS[envelope.type];
  if (suspension) {
    return {
      ...base,
      admin: text(data.admin) ?? text(envelope.actor.id) ?? 'unknown',
      action: suspension.action,
      targetType: suspension.target,
      targetId: envelope.aggregate_id,
      details: { reason: data.reason ?? null },
    };
  }
  return undefined;
}

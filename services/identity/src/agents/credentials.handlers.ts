import { SUBJECTS, agentRefSchema, auditQuerySchema, suspendAgentCommandSchema, unsuspendAgentCommandSchema } from '@agentmarket/contracts';
import { handler, type RequestHandler } from '@agentmarket/messaging';
import type { AdminAudit } from '../audit/admin-audit.service.ts';
import type { AgentSuspensions } from './agent-suspension.service.ts';

/** Credential state for the gateway, and the admin-only subjects: suspension and the audit trail. */
export function credentialHandlers(suspensions: AgentSuspensions, audit: AdminAudit): Record<string, RequestHandler> {
  const subjects = SUBJECTS.identity;
  return {
    [subjects.credentialState]: handler(agentRefSchema, (input) => suspensions.credentialState(input.agent_id)),
    [subjects.suspend]: handler(suspendAgentCommandSchema, (input) => suspensions.suspend(input.agent_id, input.reason, input.admin)),
    [subjects.unsuspend]: handler(unsuspendAgentCommandSchema, (input) => suspensions.unsuspend(input.agent_id, input.admin, input.reason)),
    [subjects.audit]: handler(auditQuerySchema, (input) => audit.list(input)),
  };
}

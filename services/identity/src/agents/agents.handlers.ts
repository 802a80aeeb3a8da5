import {
  SUBJECTS,
  agentIdParamsSchema,
  agentIdsQuerySchema,
  agentRefSchema,
  listAgentsQuerySchema,
  registerAgentCommandSchema,
  setStatusCommandSchema,
  updateAgentCommandSchema,
  verifyKeyCommandSchema,
} from '@agentmarket/contracts';
import { handler, type RequestHandler } from '@agentmarket/messaging';
import { z } from 'zod';
import type { AgentsService } from './agents.service.ts';

/** Request/reply subjects of the identity service. */
export function agentHandlers(agents: AgentsService): Record<string, RequestHandler> {
  const subjects = SUBJECTS.identity;
  return {
    [subjects.register]: handler(registerAgentCommandSchema, (input) => agents.register(input)),
    [subjects.get]: handler(agentIdParamsSchema, (input) => agents.getPublic(input.id)),
    [subjects.getPrivate]: handler(agentRefSchema, (input) => agents.getPrivate(input.agent_id)),
    [subjects.list]: handler(listAgentsQuerySchema, (input) => agents.list(input)),
    [subjects.update]: handler(updateAgentCommandSchema, (input) => agents.update(input.agent_id, input.patch)),
    [subjects.setStatus]: handler(setStatusCommandSchema, (input) => agents.setStatus(input.agent_id, input.status)),
    [subjects.rotateKey]: handler(agentRefSchema, (input) => agents.rotateKey(input.agent_id)),
    [subjects.verifyKey]: handler(verifyKeyCommandSchema, (input) => agents.verifyKey(input.api_key)),
    [subjects.batchGet]: handler(agentIdsQuerySchema, (input) => agents.figuresOf(input.ids)),
    [subjects.stats]: handler(z.unknown(), () => agents.stats()),
  };
}

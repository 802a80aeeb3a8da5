import { SUBJECTS } from '@agentmarket/contracts';
import { agentTokenCommandSchema } from '@agentmarket/auth';
import { handler, type RequestHandler } from '@agentmarket/messaging';
import type { AgentTokens } from './agent-tokens.service.ts';

/** Request/reply subjects that issue tokens to agents. */
export function tokenHandlers(agentTokens: AgentTokens): Record<string, RequestHandler> {
  return {
    [SUBJECTS.identity.agentToken]: handler(agentTokenCommandSchema, (input) => agentTokens.issue(input.agent_id)),
  };
}

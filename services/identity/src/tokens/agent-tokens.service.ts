import type { MikroORM } from '@mikro-orm/postgresql';
import { AppError } from '@agentmarket/contracts';
import type { AgentAccessToken } from '@agentmarket/auth';
import { findCredentialFields } from '../agents/agents.repository.ts';
import { suspendedError } from '../agents/credential-errors.ts';
import type { TokenIssuer } from './token-issuer.ts';

/** JWTs for agents, in exchange for the API key the gateway has already verified. */
export class AgentTokens {
  private readonly orm: MikroORM;
  private readonly tokens: TokenIssuer;

  constructor(orm: MikroORM, tokens: TokenIssuer) {
    this.orm = orm;
    this.tokens = tokens;
  }

  async issue(agentId: string): Promise<AgentAccessToken> {
    this.tokens.ensureAvailable();
    const agent = await findCredentialFields(this.orm.em.fork(), agentId);
    if (!agent) throw new AppError('not_found', 'Agent not found', { agent_id: agentId });
    if (agent.suspendedAt) throw suspendedError();
    // Bound to the key generation it was minted from: a rotation revokes it at once.
    return { ...this.tokens.issue(agent.id, 'agent', agent.keyGeneration), role: 'agent', agent_id: agent.id };
  }
}

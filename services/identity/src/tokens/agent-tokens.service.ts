import type { MikroORM } from '@mikro-orm/postgresql';
import { AppError } from '@agentmarket/contracts';
import type { AgentAccessToken } from '@agentmarket/auth';
import { AgentSchema } from '../agents/agent.entity.ts';
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
    const agent = await this.orm.em.fork().findOne(AgentSchema, { id: agentId }, { fields: ['id'] });
    if (!agent) throw new AppError('not_found', 'Agent not found', { agent_id: agentId });
    return { ...this.tokens.issue(agent.id, 'agent'), role: 'agent', agent_id: agent.id };
  }
}

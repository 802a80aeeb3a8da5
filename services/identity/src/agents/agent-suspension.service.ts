import type { MikroORM } from '@mikro-orm/postgresql';
import { AppError, type AgentSuspension, type CredentialState } from '@agentmarket/contracts';
import { commandTransaction } from '@agentmarket/messaging';
import { appendToOutbox } from '@agentmarket/persistence';
import { IDENTITY_SCHEMA } from '../schema.ts';
import type { Agent } from './agent.entity.ts';
import { findAgentForUpdate, findCredentialFields } from './agents.repository.ts';

const viewOf = (agent: Agent): AgentSuspension => ({
  agent_id: agent.id,
  suspended: agent.suspendedAt !== null && agent.suspendedAt !== undefined,
  reason: agent.suspensionReason ?? null,
  suspended_at: agent.suspendedAt?.toISOString() ?? null,
});

/**
 * What decides whether an agent's credentials are accepted beyond the key
 * itself: its key generation (JWTs of older ones are revoked) and an admin's
 * suspension. Suspending changes nothing else: running jobs go on.
 */
export class AgentSuspensions {
  private readonly orm: MikroORM;

  constructor(orm: MikroORM) {
    this.orm = orm;
  }

  async credentialState(agentId: string): Promise<CredentialState> {
    const agent = await findCredentialFields(this.orm.em.fork(), agentId);
    // An agent that does not exist has no valid token: the gateway answers 401 for it.
    if (!agent) throw new AppError('unauthenticated', 'The agent of this token does not exist');
    return { agent_id: agent.id, key_generation: agent.keyGeneration, suspended: agent.suspendedAt !== null && agent.suspendedAt !== undefined };
  }

  async suspend(agentId: string, reason: string, admin: string): Promise<AgentSuspension> {
    return this.change(agentId, admin, reason, true);
  }

  async unsuspend(agentId: string, admin: string, reason: string | undefined): Promise<AgentSuspension> {
    return this.change(agentId, admin, reason ?? null, false);
  }

  /** Sets or lifts the suspension with its event; the same state again is answered as it is, with no event. */
  private async change(agentId: string, admin: string, reason: string | null, suspend: boolean): Promise<AgentSuspension> {
    return commandTransaction(this.orm, IDENTITY_SCHEMA, async (em) => {
      const agent = await findAgentForUpdate(em, agentId);
      if (!agent) throw new AppError('not_found', 'Agent not found', { agent_id: agentId });
      const isSuspended = agent.suspendedAt !== null && agent.suspendedAt !== undefined;
      if (isSuspended === suspend) return viewOf(agent);
      const now = new Date();
      agent.suspendedAt = suspend ? now : null;
      agent.suspensionReason = suspend ? reason : null;
      agent.updatedAt = now;
      await appendToOutbox(em, IDENTITY_SCHEMA, [
        {
          type: suspend ? 'agent_suspended' : 'agent_unsuspended',
          aggregateId: agent.id,
          aggregateVersion: agent.version + 1,
          // Admins act as users in events (as in jobs); `admin` names them exactly, `admin-key` included.
          actor: { type: 'user', id: admin },
          data: { agent_id: agent.id, reason, admin },
        },
      ]);
      await em.flush();
      return viewOf(agent);
    });
  }
}

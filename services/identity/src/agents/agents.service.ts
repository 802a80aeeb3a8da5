import { OptimisticLockError } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import {
  AppError,
  decodeCursor,
  encodeCursor,
  uuidv7,
  type Actor,
  type AgentFigures,
  type AgentPage,
  type AgentPrincipal,
  type AgentStatus,
  type ListAgentsQuery,
  type PrivateAgent,
  type PublicAgent,
  type RegisterAgentCommand,
  type RegisteredAgent,
  type RotatedKey,
  type UpdateAgentInput,
} from '@agentmarket/contracts';
import { boundedPage, commandTransaction } from '@agentmarket/messaging';
import type { TargetPolicy } from '@agentmarket/net-guard';
import { appendToOutbox } from '@agentmarket/persistence';
import { checkA2aUrl } from './a2a-endpoint.ts';
import type { Agent } from './agent.entity.ts';
import { addAgent, countAgents, findAgent, findAgentByKeyHash, findAgentPage, findAgentsByIds, touchLastSeen } from './agents.repository.ts';
import { generateApiKey, hashApiKey } from './api-key.ts';
import { toPrivateAgent, toPublicAgent } from './agent.views.ts';
import { keyAlreadyIssued, suspendedError } from './credential-errors.ts';
import { IDENTITY_SCHEMA } from '../schema.ts';

/** Agents: registration, profiles, status and API keys. Each public method owns its transaction. */
export class AgentsService {
  private readonly orm: MikroORM;
  /** Where an agent's a2a_url may point (the executor sends hires there). */
  private readonly outbound: TargetPolicy;

  constructor(orm: MikroORM, outbound: TargetPolicy = { allowPrivateNetworks: false }) {
    this.orm = orm;
    this.outbound = outbound;
  }

  async register(input: RegisterAgentCommand): Promise<RegisteredAgent> {
    // Checked before the transaction: a DNS lookup holds no connection.
    const a2aUrl = await checkA2aUrl(input.a2a_url ?? null, this.outbound);
    const apiKey = generateApiKey();
    const now = new Date();
    // A retry with the same Idempotency-Key after success is `key_already_issued`: the key is shown once, never stored to replay.
    return commandTransaction(this.orm, IDENTITY_SCHEMA, async (em) => {
      const created = addAgent(em, {
        id: uuidv7(),
        name: input.name,
        description: input.description ?? null,
        capabilities: input.capabilities,
        status: 'available',
        walletAddress: input.wallet_address ?? null,
        a2aUrl,
        apiKeyHash: hashApiKey(apiKey),
        keyId: uuidv7(),
        keyGeneration: 1,
        suspendedAt: null,
        suspensionReason: null,
        reputationScore: '0.00',
        jobsCompleted: 0,
        jobsFailed: 0,
        jobsHired: 0,
        totalEarnedCents: 0,
        totalSpentCents: 0,
        totalEarnedSats: 0,
        totalSpentSats: 0,
        successRate: null,
        onTimeRate: null,
        clientRating: null,
        clientJobsRated: 0,
        reputationVersion: 0,
        createdAt: now,
        updatedAt: now,
        lastSeenAt: now,
        version: 1,
      });
      await appendToOutbox(em, IDENTITY_SCHEMA, [
        {
          type: 'agent_registered',
          aggregateId: created.id,
          aggregateVersion: 1,
          actor: { type: 'agent', id: created.id },
          // Who registered it and from where: payments' grant policy and reputation's owner lineage read these.
          data: { agent: toPublicAgent(created), registered_by: input.registered_by ?? null, origin_ip: input.origin_ip ?? null },
        },
      ]);
      return { agent_id: created.id, name: created.name, api_key: apiKey, created_at: created.createdAt.toISOString() };
    }, { secretReply: { publicPart: ({ api_key: _key, ...rest }) => rest, alreadyIssued: (earlier) => keyAlreadyIssued('registration', earlier) } });
  }

  async getPublic(id: string): Promise<PublicAgent> {
    return toPublicAgent(await this.findOrFail(this.orm.em.fork(), id));
  }

  async getPrivate(id: string): Promise<PrivateAgent> {
    return toPrivateAgent(await this.findOrFail(this.orm.em.fork(), id));
  }

  async list(query: ListAgentsQuery): Promise<AgentPage> {
    const sortField = query.sort === 'reputation' ? 'reputationScore' : query.sort === 'jobs_completed' ? 'jobsCompleted' : undefined;
    const after = query.cursor
      ? decodeCursor(query.cursor, { list: `agents:${query.sort}`, value: sortField === 'reputationScore' ? 'decimal' : sortField ? 'integer' : 'uuid', id: 'uuid' })
      : undefined;
    const rows = await findAgentPage(this.orm.em.fork(), { q: query.q, capability: query.capability, status: query.status, sortField, after, limit: query.limit });
    return boundedPage(rows, query.limit, toPublicAgent, (last) =>
      encodeCursor({ value: sortField ? String(last[sortField]) : last.id, id: last.id }, `agents:${query.sort}`),
    );
  }

  async update(agentId: string, patch: UpdateAgentInput): Promise<PrivateAgent> {
    const a2aUrl = patch.a2a_url === undefined ? undefined : await checkA2aUrl(patch.a2a_url, this.outbound);
    return this.mutate(agentId, (agent) => {
      const changes: Record<string, unknown> = {};
      if (a2aUrl !== undefined && a2aUrl !== (agent.a2aUrl ?? null)) {
        agent.a2aUrl = a2aUrl;
        changes.a2a_url = a2aUrl;
      }
      if (patch.description !== undefined && patch.description !== agent.description) {
        agent.description = patch.description;
        changes.description = patch.description;
      }
      if (patch.capabilities !== undefined) {
        agent.capabilities = patch.capabilities;
        changes.capabilities = patch.capabilities;
      }
      return changes;
    });
  }

  async setStatus(agentId: string, status: AgentStatus): Promise<PrivateAgent> {
    return this.mutate(agentId, (agent) => {
      if (agent.status === status) return {};
      agent.status = status;
      return { status };
    });
  }

  async rotateKey(agentId: string): Promise<RotatedKey> {
    const apiKey = generateApiKey();
    const now = new Date();
    return this.withConflictRetry(() =>
      commandTransaction(this.orm, IDENTITY_SCHEMA, async (em) => {
        const agent = await this.findOrFail(em, agentId);
        if (agent.suspendedAt) throw suspendedError();
        const revokedKeyId = agent.keyId;
        agent.apiKeyHash = hashApiKey(apiKey);
        agent.keyId = uuidv7();
        // Every JWT minted from an older generation is refused by the gateway from now on.
        agent.keyGeneration += 1;
        agent.updatedAt = now;
        await appendToOutbox(em, IDENTITY_SCHEMA, [
          {
            type: 'agent_key_rotated',
            aggregateId: agent.id,
            aggregateVersion: agent.version + 1,
            actor: { type: 'agent', id: agent.id },
            data: { agent_id: agent.id, key_id: agent.keyId, revoked_key_id: revokedKeyId, key_generation: agent.keyGeneration },
          },
        ]);
        return { agent_id: agentId, api_key: apiKey, rotated_at: now.toISOString() };
      }, { secretReply: { publicPart: ({ api_key: _key, ...rest }) => rest, alreadyIssued: (earlier) => keyAlreadyIssued('rotation', earlier) } }),
    );
  }

  /** Names and public figures of many agents in one query (graph nodes, leaderboards, the coordinator); unknown ids are left out. */
  async figuresOf(ids: string[]): Promise<AgentFigures[]> {
    if (ids.length === 0) return [];
    const agents = await findAgentsByIds(this.orm.em.fork(), ids);
    return agents.map((agent) => {
      const view = toPublicAgent(agent);
      return { id: view.id, name: view.name, reputation_score: view.reputation_score, success_rate: view.success_rate, jobs_completed: view.jobs_completed };
    });
  }

  /** identity's part of GET /api/stats. */
  async stats(): Promise<{ total: number; available: number }> {
    return countAgents(this.orm.em.fork());
  }

  /** The agent a key belongs to; `unauthenticated` for an unknown or revoked key. */
  async verifyKey(apiKey: string): Promise<AgentPrincipal> {
    const em = this.orm.em.fork();
    const agent = await findAgentByKeyHash(em, hashApiKey(apiKey));
    if (!agent) throw new AppError('unauthenticated', 'Invalid or revoked API key');
    if (agent.suspendedAt) throw suspendedError();
    await touchLastSeen(em, agent.id);
    return { agent_id: agent.id, name: agent.name, key_id: agent.keyId };
  }

  /** Loads, changes and saves an agent under optimistic locking, with an `agent_updated` event when something changed. */
  private async mutate(agentId: string, change: (agent: Agent) => Record<string, unknown>): Promise<PrivateAgent> {
    return this.withConflictRetry(() =>
      this.orm.em.fork().transactional(async (em) => {
        const agent = await this.findOrFail(em, agentId);
        const changes = change(agent);
        if (Object.keys(changes).length === 0) return toPrivateAgent(agent);
        agent.updatedAt = new Date();
        const actor: Actor = { type: 'agent', id: agent.id };
        await appendToOutbox(em, IDENTITY_SCHEMA, [
          {
            type: 'agent_updated',
            aggregateId: agent.id,
            aggregateVersion: agent.version + 1,
            actor,
            data: { agent_id: agent.id, changes, agent: toPublicAgent(agent) },
          },
        ]);
        await em.flush();
        return toPrivateAgent(agent);
      }),
    );
  }

  private async findOrFail(em: EntityManager, id: string): Promise<Agent> {
    const agent = await findAgent(em, id);
    if (!agent) throw new AppError('not_found', 'Agent not found', { agent_id: id });
    return agent;
  }

  /** A lost optimistic-lock race is retried with fresh data, not reported as corruption. */
  private async withConflictRetry<T>(operation: () => Promise<T>, attempts = 3): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await operation();
      } catch (error) {
        if (!(error instanceof OptimisticLockError) || attempt >= attempts) {
          if (error instanceof OptimisticLockError) throw new AppError('conflict', 'The agent was changed concurrently; retry');
          throw error;
        }
      }
    }
  }
}

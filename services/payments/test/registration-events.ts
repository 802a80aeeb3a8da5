import { uuidv7, type EventEnvelope } from '@agentmarket/contracts';

/** The `agent_registered` event identity writes for a new agent: a fresh one unless named, from `originIp` when given. */
export function agentRegistered(options: { agentId?: string; originIp?: string } = {}): EventEnvelope {
  const agentId = options.agentId ?? uuidv7();
  return {
    id: uuidv7(),
    type: 'agent_registered',
    occurred_at: new Date().toISOString(),
    aggregate_id: agentId,
    aggregate_version: 1,
    actor: { type: 'agent', id: agentId },
    data: { agent: { id: agentId, name: 'Newcomer' }, registered_by: null, ...(options.originIp ? { origin_ip: options.originIp } : {}) },
  };
}

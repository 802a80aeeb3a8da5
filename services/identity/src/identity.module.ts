import type { ServiceModule } from '@agentmarket/messaging';
import { AgentSchema } from './agents/agent.entity.ts';
import { agentHandlers } from './agents/agents.handlers.ts';
import { AgentsService } from './agents/agents.service.ts';
import { identityMigrations } from './migrations/index.ts';
import { reputationProjectionConsumer } from './reputation/reputation-projection.consumer.ts';

/** Identity owns agents and their API keys (schema `identity`). */
export const identityModule: ServiceModule = {
  name: 'identity',
  schema: 'identity',
  entities: [AgentSchema],
  migrations: identityMigrations,
  requestHandlers: ({ orm }) => agentHandlers(new AgentsService(orm)),
  consumers: ({ orm }) => [reputationProjectionConsumer(orm)],
};

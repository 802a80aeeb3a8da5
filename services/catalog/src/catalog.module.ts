import type { ServiceModule } from '@agentmarket/messaging';
import { AgentProjectionSchema } from './agents/agent-projection.entity.ts';
import { agentProjectionConsumer } from './agents/agent-projection.consumer.ts';
import { reputationProjectionConsumer } from './agents/reputation-projection.consumer.ts';
import { catalogMigrations } from './migrations/index.ts';
import { CATALOG_SCHEMA } from './schema.ts';
import { ServiceSchema } from './services/service.entity.ts';
import { serviceHandlers } from './services/services.handlers.ts';
import { HostedQuotes } from './services/hosted-quotes.ts';
import { ServicesService } from './services/services.service.ts';
import { ServiceSuspensions } from './services/service-suspension.service.ts';

/** The catalog owns the services agents publish and a projection of the agents behind them (schema `catalog`). */
export const catalogModule: ServiceModule = {
  name: 'catalog',
  schema: CATALOG_SCHEMA,
  entities: [ServiceSchema, AgentProjectionSchema],
  migrations: catalogMigrations,
  requestHandlers: ({ orm, bus }) => serviceHandlers(new ServicesService(orm, new HostedQuotes(bus)), new ServiceSuspensions(orm)),
  consumers: ({ orm }) => [agentProjectionConsumer(orm), reputationProjectionConsumer(orm)],
};

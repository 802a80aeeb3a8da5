import { loadSettings } from '@agentmarket/config';
import type { ServiceModule } from '@agentmarket/messaging';
import { AgentSchema } from './agents/agent.entity.ts';
import { agentHandlers } from './agents/agents.handlers.ts';
import { AgentsService } from './agents/agents.service.ts';
import { AgentSuspensions } from './agents/agent-suspension.service.ts';
import { credentialHandlers } from './agents/credentials.handlers.ts';
import { adminAuditConsumer } from './audit/admin-audit.consumer.ts';
import { AdminAudit } from './audit/admin-audit.service.ts';
import { identitySettings } from './config.ts';
import { identityMigrations } from './migrations/index.ts';
import { reputationProjectionConsumer } from './reputation/reputation-projection.consumer.ts';
import { IDENTITY_SCHEMA } from './schema.ts';
import { AgentTokens } from './tokens/agent-tokens.service.ts';
import { createTokenIssuer } from './tokens/token-issuer.ts';
import { tokenHandlers } from './tokens/tokens.handlers.ts';
import { resolveAccountConfig, type IdentityAccountSettings } from './users/account-settings.ts';
import { startAccountTasks } from './users/account-tasks.ts';
import { LoginThrottle } from './users/login-throttle.service.ts';
import { UserSchema } from './users/user.entity.ts';
import { userHandlers } from './users/users.handlers.ts';
import { UsersService } from './users/users.service.ts';

export { AdminAccounts, type AdminOutcome } from './users/admin-accounts.service.ts';
export type { IdentityAccountSettings } from './users/account-settings.ts';

const SCHEMA_PARTS: Pick<ServiceModule, 'name' | 'schema' | 'entities' | 'migrations'> = {
  name: 'identity',
  schema: IDENTITY_SCHEMA,
  entities: [AgentSchema, UserSchema],
  migrations: identityMigrations,
};

/**
 * Identity owns agents and their API keys, people's accounts and the tokens
 * of both (schema `identity`). Throws when the account settings are wrong,
 * e.g. no JWT_KEYS with NODE_ENV=production. Agents' a2a_url must be https
 * to public addresses unless A2A_ALLOW_PRIVATE_NETWORKS is 'true'.
 */
export function createIdentityModule(settings: IdentityAccountSettings & { A2A_ALLOW_PRIVATE_NETWORKS?: 'true' | 'false' }): ServiceModule {
  const accounts = resolveAccountConfig(settings);
  const tokens = createTokenIssuer(accounts.keyring, accounts.ttlSeconds);
  return {
    ...SCHEMA_PARTS,
    requestHandlers: ({ orm }) => ({
      ...agentHandlers(new AgentsService(orm, { allowPrivateNetworks: settings.A2A_ALLOW_PRIVATE_NETWORKS === 'true' })),
      ...userHandlers(new UsersService(orm, tokens, new LoginThrottle(orm, accounts.login))),
      ...tokenHandlers(new AgentTokens(orm, tokens)),
      ...credentialHandlers(new AgentSuspensions(orm), new AdminAudit(orm)),
    }),
    consumers: ({ orm }) => [reputationProjectionConsumer(orm), adminAuditConsumer(orm)],
    background: ({ orm, logger }) => startAccountTasks(orm, accounts, logger),
  };
}

let environmentModule: ServiceModule | undefined;
/** Built on first use, so importing this file (the migration runner does) never reads or checks the account settings. */
const fromEnvironment = (): ServiceModule => (environmentModule ??= createIdentityModule(loadSettings(identitySettings)));

/**
 * The module with its account settings read from the environment when the
 * service starts; a bad setting makes the start fail. Tooling that only needs
 * the schema (migrations) uses it without reading them.
 */
export const identityModule: ServiceModule = {
  ...SCHEMA_PARTS,
  requestHandlers: (context) => fromEnvironment().requestHandlers(context),
  consumers: (context) => fromEnvironment().consumers?.(context) ?? [],
  background: (context) => fromEnvironment().background?.(context) ?? [],
};

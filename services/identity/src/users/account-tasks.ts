import type { MikroORM } from '@mikro-orm/postgresql';
import type { BackgroundTask } from '@agentmarket/messaging';
import type { Logger } from '@agentmarket/observability';
import type { AccountConfig } from './account-settings.ts';
import { AdminAccounts } from './admin-accounts.service.ts';
import { startAdminBootstrap } from './admin-bootstrap.ts';
import { startLoginAttemptsPruner } from './login-attempts-pruner.ts';
import { LoginThrottle } from './login-throttle.service.ts';

/** How often finished login counters are deleted. */
const PRUNE_INTERVAL_MS = 10 * 60_000;

/**
 * What people's accounts run beside the handlers: the login counter pruner
 * and, with ADMIN_EMAIL, the admin's creation. Says on start whether
 * accounts are on, since without JWT_KEYS they quietly answer unavailable.
 */
export function startAccountTasks(orm: MikroORM, accounts: AccountConfig, logger: Logger): BackgroundTask[] {
  if (accounts.keyring) {
    logger.info({ signing_key_id: accounts.keyring.signingKeyId, key_ids: accounts.keyring.keyIds }, "people's accounts on");
  } else {
    logger.warn("people's accounts are off: JWT_KEYS is not set, so sign-up, login and agent tokens answer unavailable");
  }
  const tasks: BackgroundTask[] = [startLoginAttemptsPruner(new LoginThrottle(orm, accounts.login), PRUNE_INTERVAL_MS, logger)];
  if (accounts.admin) tasks.push(startAdminBootstrap(new AdminAccounts(orm), accounts.admin, logger));
  return tasks;
}

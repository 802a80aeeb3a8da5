import type { BackgroundTask } from '@agentmarket/messaging';
import type { Logger } from '@agentmarket/observability';
import type { AdminAccounts } from './admin-accounts.service.ts';

/**
 * Creates the ADMIN_EMAIL admin once, in the background of the start, unless
 * a user with that email exists (its account is left as it is). Replicas
 * starting together are safe: the insert does nothing on a taken email.
 */
export function startAdminBootstrap(admins: AdminAccounts, admin: { email: string; password: string }, logger: Logger): BackgroundTask {
  const done = admins.ensureAdmin(admin.email, admin.password).then(
    (outcome) =>
      outcome === 'created'
        ? logger.info({ email: admin.email }, 'admin account created from ADMIN_EMAIL')
        : logger.info({ email: admin.email }, 'ADMIN_EMAIL already has an account; left unchanged'),
    (error: unknown) => logger.error({ err: error }, 'could not create the ADMIN_EMAIL admin'),
  );
  return { stop: () => done };
}

import type { MikroORM } from '@mikro-orm/postgresql';
import { AppError, uuidv7 } from '@agentmarket/contracts';
import { hashPassword, type UserAccount } from '@agentmarket/auth';
import { normalizeEmail } from './normalize-email.ts';
import { addUser, findUserByEmailForUpdate, insertUserUnlessTaken } from './users.repository.ts';
import { toUserAccount } from './user.views.ts';

export type AdminOutcome = 'created' | 'promoted' | 'already_admin';

/** Admins exist only through the operator: ADMIN_EMAIL on start, or the admin-create CLI; never through sign-up. */
export class AdminAccounts {
  private readonly orm: MikroORM;

  constructor(orm: MikroORM) {
    this.orm = orm;
  }

  /** Creates an admin unless some user already has the email (that account is left as it is). */
  async ensureAdmin(emailInput: string, password: string): Promise<'created' | 'exists'> {
    const now = new Date();
    const created = await insertUserUnlessTaken(this.orm.em.fork(), {
      id: uuidv7(now.getTime()),
      email: normalizeEmail(emailInput),
      name: null,
      passwordHash: await hashPassword(password),
      role: 'admin',
      now,
    });
    return created ? 'created' : 'exists';
  }

  /**
   * Makes the email's account an admin: creates it or promotes the existing
   * user — both only with a new password. A promotion without one would hand
   * admin rights to whoever knows (or set, at sign-up) the account's current
   * password. An existing admin keeps its password unless one is given.
   */
  async createOrPromoteAdmin(
    emailInput: string,
    password: string | undefined,
  ): Promise<{ outcome: AdminOutcome; passwordChanged: boolean; account: UserAccount }> {
    const email = normalizeEmail(emailInput);
    const passwordHash = password === undefined ? undefined : await hashPassword(password);
    return this.orm.em.fork().transactional(async (em) => {
      const existing = await findUserByEmailForUpdate(em, email);
      const now = new Date();
      if (!existing) {
        if (passwordHash === undefined) throw new AppError('validation_failed', 'No user has this email: give a password to create the admin', { email });
        const user = addUser(em, { id: uuidv7(now.getTime()), email, name: null, passwordHash, role: 'admin', createdAt: now, updatedAt: now });
        await em.flush();
        return { outcome: 'created' as const, passwordChanged: true, account: toUserAccount(user) };
      }
      const outcome: AdminOutcome = existing.role === 'admin' ? 'already_admin' : 'promoted';
      if (outcome === 'already_admin' && passwordHash === undefined) return { outcome, passwordChanged: false, account: toUserAccount(existing) };
      if (passwordHash === undefined) {
        throw new AppError('validation_failed', 'This user is not an admin: give a new password to promote it (its current one is not trusted)', { email });
      }
      existing.role = 'admin';
      if (passwordHash !== undefined) existing.passwordHash = passwordHash;
      existing.updatedAt = now;
      await em.flush();
      return { outcome, passwordChanged: passwordHash !== undefined, account: toUserAccount(existing) };
    });
  }
}

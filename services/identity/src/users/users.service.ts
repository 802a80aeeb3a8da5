import type { MikroORM } from '@mikro-orm/postgresql';
import { AppError, uuidv7 } from '@agentmarket/contracts';
import {
  DUMMY_PASSWORD_HASH,
  hashPassword,
  verifyPassword,
  type LoginCommand,
  type RegisterUserInput,
  type RegisteredUser,
  type UserAccessToken,
  type UserAccount,
  type UserRole,
} from '@agentmarket/auth';
import type { Logger } from '@agentmarket/observability';
import type { TokenIssuer } from '../tokens/token-issuer.ts';
import type { LoginThrottle } from './login-throttle.service.ts';
import { normalizeEmail } from './normalize-email.ts';
import { findUserByEmail, findUserById, insertUserUnlessTaken } from './users.repository.ts';
import { toUserAccount } from './user.views.ts';

/** The one answer to a wrong email and a wrong password alike. */
const WRONG_CREDENTIALS = 'Wrong email or password';

/** People's accounts: sign-up, login and their own account. */
export class UsersService {
  private readonly orm: MikroORM;
  private readonly tokens: TokenIssuer;
  private readonly throttle: LoginThrottle;

  constructor(orm: MikroORM, tokens: TokenIssuer, throttle: LoginThrottle) {
    this.orm = orm;
    this.tokens = tokens;
    this.throttle = throttle;
  }

  /**
   * Creates a buyer. An email that is already registered gets the same
   * answer (a fresh id, nothing stored, the existing password unchanged)
   * after the same work, so sign-up cannot be used to find out who has an
   * account.
   */
  async register(input: RegisterUserInput): Promise<RegisteredUser> {
    this.tokens.ensureAvailable();
    const email = normalizeEmail(input.email);
    const now = new Date();
    const id = uuidv7(now.getTime());
    await insertUserUnlessTaken(this.orm.em.fork(), { id, email, name: input.name ?? null, passwordHash: await hashPassword(input.password), role: 'buyer', now });
    return { user_id: id, email, role: 'buyer', created_at: now.toISOString() };
  }

  /**
   * An access token for the right email and password. A wrong password and
   * an unknown email cost one scrypt run each (the latter against a dummy
   * hash) and get the same `unauthenticated`; too many failures for an email
   * get `rate_limited`, whether or not the account exists.
   */
  async login(input: LoginCommand, logger: Logger): Promise<UserAccessToken> {
    this.tokens.ensureAvailable();
    const email = normalizeEmail(input.email);
    await this.throttle.admit(email, input.client_ip);
    const user = await findUserByEmail(this.orm.em.fork(), email);
    const matches = await verifyPassword(input.password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
    if (!user || !matches) {
      logger.info({ user_id: user?.id ?? null, client_ip: input.client_ip ?? null }, 'login failed');
      throw new AppError('unauthenticated', WRONG_CREDENTIALS);
    }
    await this.throttle.reset(email, input.client_ip);
    const role = user.role as UserRole;
    return { ...this.tokens.issue(user.id, role), role, user_id: user.id };
  }

  /** A user's own account. */
  async getAccount(userId: string): Promise<UserAccount> {
    const user = await findUserById(this.orm.em.fork(), userId);
    if (!user) throw new AppError('not_found', 'User not found', { user_id: userId });
    return toUserAccount(user);
  }
}

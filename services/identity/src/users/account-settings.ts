import { emailSchema, parseKeyring, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, type Keyring } from '@agentmarket/auth';
import type { SettingsOf } from '@agentmarket/config';
import type { identitySettings } from '../config.ts';

export type IdentityAccountSettings = Pick<
  SettingsOf<typeof identitySettings>,
  | 'NODE_ENV'
  | 'JWT_KEYS'
  | 'JWT_SIGNING_KEY_ID'
  | 'JWT_TTL_SECONDS'
  | 'LOGIN_MAX_FAILURES'
  | 'LOGIN_WINDOW_SECONDS'
  | 'LOGIN_MAX_DELAY_SECONDS'
  | 'ADMIN_EMAIL'
  | 'ADMIN_PASSWORD'
>;

/** The account settings, checked: a keyring (or none: accounts off) and the admin to create on start, if any. */
export interface AccountConfig {
  keyring: Keyring | undefined;
  ttlSeconds: number;
  login: { maxFailures: number; windowSeconds: number; maxDelaySeconds: number };
  admin: { email: string; password: string } | undefined;
}

/**
 * Checks the account settings and says everything that is wrong in one
 * error. Without JWT_KEYS people's accounts are off, except in production,
 * where that is refused: there is no built-in secret to fall back on.
 */
export function resolveAccountConfig(settings: IdentityAccountSettings): AccountConfig {
  const problems: string[] = [];
  let keyring: Keyring | undefined;
  if (settings.JWT_KEYS.trim() === '') {
    if (settings.NODE_ENV === 'production') {
      problems.push('JWT_KEYS is required when NODE_ENV=production: give kid:secret pairs (secrets of at least 32 characters)');
    }
  } else {
    try {
      keyring = parseKeyring(settings.JWT_KEYS, settings.JWT_SIGNING_KEY_ID);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  const adminEmail = settings.ADMIN_EMAIL.trim().toLowerCase();
  const adminPassword = settings.ADMIN_PASSWORD;
  if ((adminEmail === '') !== (adminPassword === '')) problems.push('ADMIN_EMAIL and ADMIN_PASSWORD go together: set both or neither');
  if (adminEmail !== '' && !emailSchema.safeParse(adminEmail).success) problems.push('ADMIN_EMAIL is not an email address');
  if (adminPassword !== '' && (adminPassword.length < PASSWORD_MIN_LENGTH || adminPassword.length > PASSWORD_MAX_LENGTH)) {
    problems.push(`ADMIN_PASSWORD must have ${PASSWORD_MIN_LENGTH}–${PASSWORD_MAX_LENGTH} characters`);
  }
  if (problems.length > 0) throw new Error(`Invalid account settings:\n  ${problems.join('\n  ')}`);
  return {
    keyring,
    ttlSeconds: settings.JWT_TTL_SECONDS,
    login: { maxFailures: settings.LOGIN_MAX_FAILURES, windowSeconds: settings.LOGIN_WINDOW_SECONDS, maxDelaySeconds: settings.LOGIN_MAX_DELAY_SECONDS },
    admin: adminEmail === '' ? undefined : { email: adminEmail, password: adminPassword },
  };
}

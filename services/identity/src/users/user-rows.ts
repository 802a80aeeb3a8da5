import type { MikroORM } from '@mikro-orm/postgresql';
import type { UserRole } from '@agentmarket/auth';

export interface NewUser {
  id: string;
  email: string;
  name: string | null;
  passwordHash: string;
  role: UserRole;
  now: Date;
}

/** Inserts a user unless the email is taken, in one statement (no race between check and insert); whether a row was written. */
export async function insertUserUnlessTaken(orm: MikroORM, user: NewUser): Promise<boolean> {
  const rows = await orm.em.fork().execute<{ id: string }[]>(
    `insert into identity.users (id, email, name, password_hash, role, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?)
     on conflict (email) do nothing
     returning id`,
    [user.id, user.email, user.name, user.passwordHash, user.role, user.now.toISOString(), user.now.toISOString()],
    'all',
  );
  return rows.length > 0;
}

/** Emails are compared case-insensitively (the wire schema already does this; the CLI and settings may not have). */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

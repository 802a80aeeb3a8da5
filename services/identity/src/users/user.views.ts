import type { UserAccount, UserRole } from '@agentmarket/auth';
import type { User } from './user.entity.ts';

/** A user's own account as the API shows it (never the password hash). */
export function toUserAccount(user: User): UserAccount {
  return {
    id: user.id,
    email: user.email,
    name: user.name ?? null,
    role: user.role as UserRole,
    created_at: user.createdAt.toISOString(),
    updated_at: user.updatedAt.toISOString(),
  };
}

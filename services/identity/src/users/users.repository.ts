import { LockMode, type RequiredEntityData } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { UserRole } from '@agentmarket/auth';
import { IDENTITY_SCHEMA } from '../schema.ts';
import { UserSchema, type User } from './user.entity.ts';

export interface NewUser {
  id: string;
  email: string;
  name: string | null;
  passwordHash: string;
  role: UserRole;
  now: Date;
}

/** Inserts a user unless the email is taken, in one statement (no race between check and insert); whether a row was written. */
export async function insertUserUnlessTaken(em: EntityManager, user: NewUser): Promise<boolean> {
  const rows = await em.execute<{ id: string }[]>(
    `insert into ${IDENTITY_SCHEMA}.users (id, email, name, password_hash, role, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?)
     on conflict (email) do nothing
     returning id`,
    [user.id, user.email, user.name, user.passwordHash, user.role, user.now.toISOString(), user.now.toISOString()],
    'all',
  );
  return rows.length > 0;
}

/** Adds a user to the unit of work (written at the transaction's flush). */
export function addUser(em: EntityManager, user: RequiredEntityData<User>): User {
  return em.create(UserSchema, user);
}

export async function findUserById(em: EntityManager, id: string): Promise<User | null> {
  return em.findOne(UserSchema, { id });
}

export async function findUserByEmail(em: EntityManager, email: string): Promise<User | null> {
  return em.findOne(UserSchema, { email });
}

/** The email's user, locked until the transaction ends. */
export async function findUserByEmailForUpdate(em: EntityManager, email: string): Promise<User | null> {
  return em.findOne(UserSchema, { email }, { lockMode: LockMode.PESSIMISTIC_WRITE });
}

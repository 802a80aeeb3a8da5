import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const UserSchema = defineEntity({
  name: 'User',
  tableName: 'users',
  properties: {
    id: p.uuid().primary(),
    /** Trimmed and lowercased; unique. */
    email: p.string(),
    name: p.string().nullable(),
    passwordHash: p.string().hidden(),
    role: p.string(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});

export type User = InferEntity<typeof UserSchema>;

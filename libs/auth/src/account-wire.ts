import { z } from 'zod';

// Wire shapes of people's accounts and tokens, shared by the gateway and
// identity. They belong in libs/contracts (identity.ts) and live here until
// they are moved there.

/** Request subjects SUBJECTS.identity lacks so far. */
export const ACCOUNT_SUBJECTS = {
  getUser: 'identity.users.get',
} as const;

export const USER_ROLES = ['buyer', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 200;

/** Emails are compared case-insensitively: stored trimmed and lowercased. */
export const emailSchema = z.string().trim().toLowerCase().max(254).check(z.email());
export const newPasswordSchema = z.string().min(PASSWORD_MIN_LENGTH).max(PASSWORD_MAX_LENGTH);
const uuid = z.string().uuid();

// ---- commands (gateway → identity); the HTTP bodies are the same shapes ----

export const registerUserInputSchema = z.strictObject({
  email: emailSchema,
  password: newPasswordSchema,
  name: z.string().trim().min(1).max(100).optional(),
});
export type RegisterUserInput = z.infer<typeof registerUserInputSchema>;

/** Any length up to the maximum: a login never tells which passwords could not exist. */
export const loginInputSchema = z.strictObject({
  email: emailSchema,
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
});
export const loginCommandSchema = loginInputSchema.extend({
  /** The caller's address as the gateway saw it, for the audit log. */
  client_ip: z.string().max(64).optional(),
});
export type LoginCommand = z.infer<typeof loginCommandSchema>;

/** The agent was authenticated by its X-Agent-Key at the gateway. */
export const agentTokenCommandSchema = z.strictObject({ agent_id: uuid });
export const userRefSchema = z.strictObject({ user_id: uuid });

// ---- replies ----

export const registeredUserSchema = z.object({
  user_id: uuid,
  email: z.string(),
  role: z.literal('buyer'),
  created_at: z.string(),
});
export type RegisteredUser = z.infer<typeof registeredUserSchema>;

const bearer = {
  access_token: z.string().describe('a JWT (HS256, key id in the header); send it as Authorization: Bearer <token>'),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int().describe('seconds until the token expires'),
};

export const userAccessTokenSchema = z.object({ ...bearer, role: z.enum(USER_ROLES), user_id: uuid });
export type UserAccessToken = z.infer<typeof userAccessTokenSchema>;

export const agentAccessTokenSchema = z.object({ ...bearer, role: z.literal('agent'), agent_id: uuid });
export type AgentAccessToken = z.infer<typeof agentAccessTokenSchema>;

export const userAccountSchema = z.object({
  id: uuid,
  email: z.string(),
  name: z.string().nullable(),
  role: z.enum(USER_ROLES),
  created_at: z.string(),
  updated_at: z.string(),
});
export type UserAccount = z.infer<typeof userAccountSchema>;

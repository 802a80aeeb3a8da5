import type { Role } from '@agentmarket/auth';

/**
 * Who is calling, as the authentication plugin resolved it for the route
 * (`request.caller`). People log in with a JWT: a buyer is a `user`, an admin
 * an `admin`; the operators' shared X-Admin-Key is an `admin` too, named
 * `admin-key` since it is no one's account.
 */
export type RequestCaller =
  | {
      kind: 'agent';
      id: string;
      credential: 'agent_key' | 'jwt';
      /** Known from an X-Agent-Key (identity says whose key it is); a JWT names the agent only. */
      name?: string;
      keyId?: string;
    }
  | { kind: 'user'; id: string }
  | { kind: 'admin'; id: string; credential: 'admin_key' | 'jwt' }
  | { kind: 'anonymous' };

export type IdentifiedCaller = Exclude<RequestCaller, { kind: 'anonymous' }>;

export const ANONYMOUS: RequestCaller = Object.freeze({ kind: 'anonymous' });

/** How the operators' X-Admin-Key is named as a caller. */
export const ADMIN_KEY_CALLER = 'admin-key';

/** The role the caller acts in, as JWTs and the access rules name it. */
export function roleOf(caller: IdentifiedCaller): Role {
  return caller.kind === 'user' ? 'buyer' : caller.kind;
}

/** `agent:<id>`, `user:<id>` or `admin:<id>`: whose request budget and Idempotency-Keys these are; undefined for the anonymous. */
export function callerKeyOf(caller: RequestCaller): string | undefined {
  return caller.kind === 'anonymous' ? undefined : `${caller.kind}:${caller.id}`;
}

import type { FastifyRequest } from 'fastify';
import { AppError } from '@agentmarket/contracts';
import type { Role } from '@agentmarket/auth';
import { ADMIN_KEY_HEADER } from './admin-key.ts';
import { ANONYMOUS, roleOf, type IdentifiedCaller, type RequestCaller } from './request-caller.ts';

/**
 * Who may call a route. Each route declares it once (`access`); the
 * authentication plugin enforces it and sets `request.caller`, and the
 * OpenAPI document shows it as the operation's `security`. Services check
 * roles again for their own objects (a job's client, a webhook's owner).
 */
export type RouteAccess =
  /** Anyone; credentials are not read (a bad one is not this route's business). */
  | 'public'
  /** Anyone; any credential (X-Admin-Key first) may be sent, and must then be valid. */
  | 'optional'
  /** Anyone; an agent key or a Bearer token may be sent, and must then be valid; X-Admin-Key is not read. */
  | 'optional_account'
  /** Anyone, admins seeing more; X-Admin-Key, if sent, must be valid; a bad agent key or token is simply anonymous. */
  | 'optional_admin'
  /** Agents (X-Agent-Key or an agent JWT): publishing services, /api/agents/me, bidding. */
  | 'agent'
  /** Agents by their API key itself (minting tokens). */
  | 'agent_key'
  /** Anyone who can be a party: agents, buyers and admins (X-Admin-Key or an admin JWT). */
  | 'party'
  /** People by their JWT: buyers and admins. */
  | 'person'
  /** Admins: X-Admin-Key, or a JWT with role admin. */
  | 'admin';

type Security = Record<string, string[]>[];

interface AccessRule {
  /** Whether the route reads credentials at all. */
  reads: boolean;
  /** X-Admin-Key is read before any other credential, not read, or refused at once (403: operators cannot act here). */
  adminKey: 'first' | 'ignored' | 'refused';
  /** The roles allowed; none: anyone, the anonymous too. */
  roles?: readonly Role[];
  /** Only the agent's API key itself: a token minting tokens would outlive the key it came from. */
  apiKeyOnly?: boolean;
  /** A bad agent key or token is taken for no credential rather than refused. */
  lenientAccount?: boolean;
  /** Alternatives, any one of them enough; `[]`: no credential needed. */
  security: Security;
}

const AGENT_SECURITY: Security = [{ agentKey: [] }, { bearerAuth: [] }];

const ACCESS_RULES: Record<RouteAccess, AccessRule> = {
  public: { reads: false, adminKey: 'ignored', security: [] },
  optional: { reads: true, adminKey: 'first', security: [] },
  optional_account: { reads: true, adminKey: 'ignored', security: [] },
  optional_admin: { reads: true, adminKey: 'first', lenientAccount: true, security: [] },
  agent: { reads: true, adminKey: 'refused', roles: ['agent'], security: AGENT_SECURITY },
  agent_key: { reads: true, adminKey: 'refused', roles: ['agent'], apiKeyOnly: true, security: [{ agentKey: [] }] },
  party: { reads: true, adminKey: 'first', roles: ['agent', 'buyer', 'admin'], security: [...AGENT_SECURITY, { adminKey: [] }] },
  person: { reads: true, adminKey: 'ignored', roles: ['buyer', 'admin'], security: [{ bearerAuth: [] }] },
  admin: { reads: true, adminKey: 'first', roles: ['admin'], security: [{ adminKey: [] }, { bearerAuth: [] }] },
};

/**
 * The OpenAPI security requirements of a route. `bearerAuth` is a JWT from
 * POST /api/auth/login (people) or POST /api/auth/token (agents); its role
 * decides which routes accept it.
 */
export function securityOf(access: RouteAccess): Security {
  return ACCESS_RULES[access].security;
}

/** Whether the route refuses a request without a credential (so documents 401 and 403). */
export function requiresCredential(access: RouteAccess): boolean {
  return ACCESS_RULES[access].roles !== undefined;
}

/** Whether the route reads credentials at all: a public one never looks. */
export function readsCredentials(access: RouteAccess): boolean {
  return ACCESS_RULES[access].reads;
}

/** The request's credentials, each verified once per request by the authentication plugin. */
export interface Credentials {
  /** The operators' X-Admin-Key: undefined when not sent, 401 when wrong. */
  adminKey(request: FastifyRequest): IdentifiedCaller | undefined;
  /** An account's X-Agent-Key or Bearer token: anonymous with neither, 401 (403 suspended) when bad. */
  account(request: FastifyRequest): Promise<RequestCaller>;
}

const hintFor = (roles: readonly Role[]) =>
  roles.includes('agent')
    ? 'Send your X-Agent-Key, or Authorization: Bearer <token>'
    : 'Log in (POST /api/auth/login) and send Authorization: Bearer <token>';

/** The caller as the route's access reads it: 401 without the credential it needs, 403 for a caller of another role. */
export async function callerUnder(access: RouteAccess, request: FastifyRequest, credentials: Credentials): Promise<RequestCaller> {
  const rule = ACCESS_RULES[access];
  if (!rule.reads) return ANONYMOUS;
  if (rule.adminKey === 'refused' && request.headers[ADMIN_KEY_HEADER] !== undefined) throw new AppError('forbidden', 'Only an agent may do this');
  const account = () => (rule.lenientAccount ? credentials.account(request).catch(() => ANONYMOUS) : credentials.account(request));
  const caller = (rule.adminKey === 'first' ? credentials.adminKey(request) : undefined) ?? (await account());
  if (!rule.roles) return caller;
  if (caller.kind === 'anonymous') throw new AppError('unauthenticated', hintFor(rule.roles));
  const role = roleOf(caller);
  if (!rule.roles.includes(role)) {
    throw new AppError('forbidden', `Only ${rule.roles.join(' or ')} may do this`, { role, allowed_roles: rule.roles });
  }
  if (rule.apiKeyOnly && !(caller.kind === 'agent' && caller.credential === 'agent_key')) {
    throw new AppError('forbidden', 'Tokens are minted only from an API key: send X-Agent-Key, not a Bearer token');
  }
  return caller;
}

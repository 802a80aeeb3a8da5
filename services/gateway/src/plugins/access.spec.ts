import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { AppError, isAppError } from '@agentmarket/contracts';
import { callerUnder, requiresCredential, securityOf, type Credentials, type RouteAccess } from './access.ts';
import { ANONYMOUS, type IdentifiedCaller, type RequestCaller } from './request-caller.ts';

const AGENT: IdentifiedCaller = { kind: 'agent', id: 'a1', credential: 'agent_key', name: 'Ada', keyId: 'k1' };
const AGENT_BY_TOKEN: IdentifiedCaller = { kind: 'agent', id: 'a1', credential: 'jwt' };
const BUYER: IdentifiedCaller = { kind: 'user', id: 'u1' };
const ADMIN_BY_TOKEN: IdentifiedCaller = { kind: 'admin', id: 'u2', credential: 'jwt' };
const ADMIN_BY_KEY: IdentifiedCaller = { kind: 'admin', id: 'admin-key', credential: 'admin_key' };

/** A request whose account credential resolves to `account`, with or without an X-Admin-Key (valid or not). */
function sent(account: RequestCaller | Error, adminKey?: 'valid' | 'wrong') {
  const request = { headers: adminKey ? { 'x-admin-key': adminKey } : {} } as unknown as FastifyRequest;
  const credentials: Credentials = {
    adminKey: () => {
      if (adminKey === 'wrong') throw new AppError('unauthenticated', 'Invalid X-Admin-Key');
      return adminKey === 'valid' ? ADMIN_BY_KEY : undefined;
    },
    account: async () => {
      if (account instanceof Error) throw account;
      return account;
    },
  };
  return (access: RouteAccess) => callerUnder(access, request, credentials);
}

async function refusal(pending: Promise<unknown>): Promise<string> {
  try {
    await pending;
    return 'allowed';
  } catch (error) {
    return isAppError(error) ? error.code : 'not an AppError';
  }
}

const badToken = new AppError('unauthenticated', 'Invalid access token');

describe('who each access lets in', () => {
  it('reads nothing on a public route: a bad credential is not its business', async () => {
    expect(await sent(badToken, 'wrong')('public')).toBe(ANONYMOUS);
  });

  it('lets anyone in where a credential is optional, but a sent one must be valid', async () => {
    expect(await sent(ANONYMOUS)('optional')).toBe(ANONYMOUS);
    expect(await sent(BUYER)('optional')).toBe(BUYER);
    expect(await sent(ANONYMOUS, 'valid')('optional')).toBe(ADMIN_BY_KEY);
    expect(await refusal(sent(ANONYMOUS, 'wrong')('optional'))).toBe('unauthenticated');
    expect(await refusal(sent(badToken)('optional'))).toBe('unauthenticated');
  });

  it('shows admins more where anyone may look, taking a bad token for none', async () => {
    expect(await sent(ADMIN_BY_TOKEN)('optional_admin')).toBe(ADMIN_BY_TOKEN);
    expect(await sent(ANONYMOUS, 'valid')('optional_admin')).toBe(ADMIN_BY_KEY);
    expect(await sent(badToken)('optional_admin')).toBe(ANONYMOUS);
    expect(await refusal(sent(ANONYMOUS, 'wrong')('optional_admin'))).toBe('unauthenticated');
  });

  it('does not read X-Admin-Key where only an account counts', async () => {
    expect(await sent(AGENT, 'wrong')('optional_account')).toBe(AGENT);
    expect(await sent(ANONYMOUS, 'valid')('optional_account')).toBe(ANONYMOUS);
    expect(await refusal(sent(ANONYMOUS, 'valid')('person'))).toBe('unauthenticated');
    expect(await sent(BUYER, 'valid')('person')).toBe(BUYER);
  });

  it('lets agents alone act as agents: 401 without a credential, 403 for people and for the operators key', async () => {
    expect(await sent(AGENT)('agent')).toBe(AGENT);
    expect(await sent(AGENT_BY_TOKEN)('agent')).toBe(AGENT_BY_TOKEN);
    expect(await refusal(sent(ANONYMOUS)('agent'))).toBe('unauthenticated');
    expect(await refusal(sent(BUYER)('agent'))).toBe('forbidden');
    expect(await refusal(sent(ADMIN_BY_TOKEN)('agent'))).toBe('forbidden');
    expect(await refusal(sent(AGENT, 'wrong')('agent'))).toBe('forbidden');
  });

  it('mints tokens from an API key only', async () => {
    expect(await sent(AGENT)('agent_key')).toBe(AGENT);
    expect(await refusal(sent(AGENT_BY_TOKEN)('agent_key'))).toBe('forbidden');
  });

  it('lets every party in, X-Admin-Key first', async () => {
    for (const caller of [AGENT, AGENT_BY_TOKEN, BUYER, ADMIN_BY_TOKEN]) expect(await sent(caller)('party')).toBe(caller);
    expect(await sent(BUYER, 'valid')('party')).toBe(ADMIN_BY_KEY);
    expect(await refusal(sent(BUYER, 'wrong')('party'))).toBe('unauthenticated');
    expect(await refusal(sent(ANONYMOUS)('party'))).toBe('unauthenticated');
  });

  it('lets admins alone act as admins, by key or by token', async () => {
    expect(await sent(ANONYMOUS, 'valid')('admin')).toBe(ADMIN_BY_KEY);
    expect(await sent(ADMIN_BY_TOKEN)('admin')).toBe(ADMIN_BY_TOKEN);
    expect(await refusal(sent(AGENT)('admin'))).toBe('forbidden');
    expect(await refusal(sent(BUYER)('admin'))).toBe('forbidden');
    expect(await refusal(sent(ANONYMOUS)('admin'))).toBe('unauthenticated');
  });
});

describe('what the document shows of each access', () => {
  it('lists the credentials a route accepts, none where a credential is optional', () => {
    expect(securityOf('party')).toEqual([{ agentKey: [] }, { bearerAuth: [] }, { adminKey: [] }]);
    expect(securityOf('agent_key')).toEqual([{ agentKey: [] }]);
    expect(securityOf('optional')).toEqual([]);
    expect(requiresCredential('person')).toBe(true);
    expect(requiresCredential('optional_account')).toBe(false);
  });
});

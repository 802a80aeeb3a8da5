import { apiGet, apiPost, type Credentials } from '../api/client.ts';
import type { PrivateAgent, UserAccessToken, UserRole } from '../api/types.ts';

/** Who is signed in: an agent by its API key, or a person by a short-lived JWT. */
export type Session =
  | { kind: 'agent'; key: string; agentId: string; name: string }
  | { kind: 'person'; token: string; role: UserRole; userId: string; email: string; expiresAt: number };

// sessionStorage only: the credential lives as long as the tab, is never in a URL and never in localStorage.
const STORAGE_KEY = 'agentmarket.session';

/** The credentials a session sends. */
export function credentialsOf(session: Session | undefined): Credentials {
  if (!session) return undefined;
  return session.kind === 'agent' ? { kind: 'agent', key: session.key } : { kind: 'person', token: session.token };
}

/** The id the session's owner appears under in jobs and events. */
export function ownIdOf(session: Session | undefined): string | undefined {
  if (!session) return undefined;
  return session.kind === 'agent' ? session.agentId : session.userId;
}

/** The session kept for this tab, unless it is missing, malformed or its token has expired. */
export function loadSession(): Session | undefined {
  try {
    const raw = window.sessionStorage.getItem(STORAGE_KEY);
    if (!raw) return undefined;
    const session = JSON.parse(raw) as Session;
    if (session.kind === 'person' && session.expiresAt <= Date.now()) {
      window.sessionStorage.removeItem(STORAGE_KEY);
      return undefined;
    }
    return session.kind === 'agent' || session.kind === 'person' ? session : undefined;
  } catch {
    return undefined;
  }
}

/** Keeps the session for this tab only (undefined forgets it). */
export function storeSession(session: Session | undefined): void {
  try {
    if (session) window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
    else window.sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // Storage disabled: the session lives in memory until the tab closes.
  }
}

/** Checks an agent's API key by reading its own profile. */
export async function signInAgent(apiKey: string): Promise<Session> {
  const key = apiKey.trim();
  const me = await apiGet<PrivateAgent>('/api/agents/me', { kind: 'agent', key });
  return { kind: 'agent', key, agentId: me.id, name: me.name };
}

/** Logs a person in with email and password. */
export async function signInPerson(email: string, password: string): Promise<Session> {
  const token = await apiPost<UserAccessToken>('/api/auth/login', { email: email.trim(), password });
  return {
    kind: 'person',
    token: token.access_token,
    role: token.role,
    userId: token.user_id,
    email: email.trim().toLowerCase(),
    // A little early, so a request never leaves with a token about to lapse.
    expiresAt: Date.now() + Math.max(0, token.expires_in - 10) * 1000,
  };
}

import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { LiveFeed } from './feed/live-feed.ts';
import type { Session } from './session/session.ts';

export interface AppContextValue {
  feed: LiveFeed;
  session: Session | undefined;
  signIn(session: Session): void;
  signOut(): void;
  /** Opens the job detail modal; `opener` gets the focus back when it closes. */
  openJob(jobId: string, opener?: HTMLElement | null): void;
}

export const AppContext = createContext<AppContextValue | undefined>(undefined);

/** The app's shared state: the live feed, who is signed in, the job modal. */
export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside <AppContext.Provider>');
  return value;
}

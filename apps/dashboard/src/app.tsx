import { useEffect, useMemo, useState } from 'preact/hooks';
import { AppContext, type AppContextValue } from './app-context.ts';
import { LiveFeed } from './feed/live-feed.ts';
import { Catalog } from './panels/catalog.tsx';
import { Counters } from './panels/counters.tsx';
import { FeedPanel } from './panels/feed-panel.tsx';
import { GraphPanel } from './panels/graph-panel.tsx';
import { HealthPanel } from './panels/health-panel.tsx';
import { JobModal } from './panels/job-modal.tsx';
import { Leaderboard } from './panels/leaderboard.tsx';
import { MyInbox } from './panels/my-inbox.tsx';
import { MyJobs } from './panels/my-jobs.tsx';
import { MyWallet } from './panels/my-wallet.tsx';
import { OpenTasks } from './panels/open-tasks.tsx';
import { SignInPanel } from './panels/sign-in.tsx';
import { loadSession, storeSession, type Session } from './session/session.ts';
import { ThemeToggle } from './ui/theme-toggle.tsx';

function who(session: Session): string {
  return session.kind === 'agent' ? `${session.name} (agent)` : `${session.email} (${session.role})`;
}

/** The dashboard: header, the signed-in viewer's own panels, then the market's panels. */
export function App() {
  const feed = useMemo(() => new LiveFeed(), []);
  const [session, setSession] = useState<Session | undefined>(loadSession);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const [openJob, setOpenJob] = useState<{ id: string; opener: HTMLElement | null } | undefined>(undefined);

  const changeSession = (next: Session | undefined, message?: string) => {
    storeSession(next);
    setSession(next);
    setNotice(message);
    if (!next) setOpenJob(undefined);
  };

  // A signed-in party's stream carries its private events too: an agent by its key, a person by its token.
  const credential = session?.kind === 'agent' ? session.key : session?.token;
  useEffect(() => {
    void feed.connect(
      !session ? undefined : session.kind === 'agent' ? { 'x-agent-key': session.key } : { authorization: `Bearer ${session.token}` },
    );
    // Only a new credential reconnects (a session object rebuilt with the same one does not).
  }, [feed, credential]);
  useEffect(() => () => feed.close(), [feed]);
  useEffect(
    () =>
      feed.onStatus((status) => {
        if (status === 'unauthorized') changeSession(undefined, 'The credential was rejected (a rotated key or an expired token): signed out.');
      }),
    [feed],
  );
  // A person's token is short-lived: sign out when it lapses rather than failing request by request.
  useEffect(() => {
    if (session?.kind !== 'person') return;
    const timer = window.setTimeout(() => changeSession(undefined, 'Your session expired: sign in again.'), Math.max(0, session.expiresAt - Date.now()));
    return () => window.clearTimeout(timer);
  }, [session]);

  const context: AppContextValue = {
    feed,
    session,
    signIn: (next) => changeSession(next),
    signOut: () => changeSession(undefined),
    openJob: (id, opener) => setOpenJob({ id, opener: opener ?? null }),
  };
  const isAdmin = session?.kind === 'person' && session.role === 'admin';

  return (
    <AppContext.Provider value={context}>
      <a class="skip-link" href="#main">
        Skip to the dashboard
      </a>
      <header class="top-bar">
        <h1>
          <span aria-hidden="true" class="logo">
            ◆
          </span>{' '}
          AgentMarket <span class="muted">live</span>
        </h1>
        <nav aria-label="Sections" class="section-nav">
          <a href="#counters">Market</a>
          <a href="#feed">Feed</a>
          <a href="#graph">Graph</a>
          <a href="#open-tasks">Open tasks</a>
          <a href="#catalog">Catalog</a>
          <a href="#health">Health</a>
        </nav>
        <div class="top-actions">
          {session ? (
            <>
              <span class="who" data-testid="signed-in-as">
                {who(session)}
              </span>
              <button type="button" onClick={() => changeSession(undefined)}>
                Sign out
              </button>
            </>
          ) : null}
          <ThemeToggle />
        </div>
      </header>
      {notice ? (
        <p class="notice" role="status">
          {notice}{' '}
          <button type="button" class="link-button" onClick={() => setNotice(undefined)}>
            Dismiss
          </button>
        </p>
      ) : null}
      <main id="main" class="grid">
        {session && !isAdmin ? (
          <>
            <MyJobs />
            <MyWallet />
            <MyInbox />
          </>
        ) : null}
        <Counters />
        <FeedPanel />
        <GraphPanel />
        <Leaderboard />
        <HealthPanel />
        <OpenTasks />
        <Catalog />
        {session ? null : <SignInPanel />}
        {isAdmin ? (
          <section class="panel" aria-label="Administrator">
            <p>Signed in as an administrator: every job in the feed can be opened.</p>
          </section>
        ) : null}
      </main>
      <footer class="footer">
        <p>
          AgentMarket dashboard · API at <a href="/docs">/docs</a>
        </p>
      </footer>
      {openJob ? <JobModal jobId={openJob.id} returnFocus={openJob.opener} onClose={() => setOpenJob(undefined)} /> : null}
    </AppContext.Provider>
  );
}

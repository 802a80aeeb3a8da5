import { useState } from 'preact/hooks';
import { useApp } from '../app-context.ts';
import { signInAgent, signInPerson } from '../session/session.ts';
import { Panel } from '../ui/panel.tsx';

type Mode = 'person' | 'agent';

/** Sign-in for people (email and password → JWT) and agents (API key); the credential stays in this tab's sessionStorage. */
export function SignInPanel() {
  const { signIn } = useApp();
  const [mode, setMode] = useState<Mode>('person');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [apiKey, setApiKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      signIn(mode === 'agent' ? await signInAgent(apiKey) : await signInPerson(email, password));
      setPassword('');
      setApiKey('');
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Panel id="sign-in" title="Sign in">
      <form class="sign-in" onSubmit={submit} aria-describedby="sign-in-note">
        <fieldset class="segmented">
          <legend>Sign in as</legend>
          <label>
            <input type="radio" name="mode" value="person" checked={mode === 'person'} onChange={() => setMode('person')} /> Person
          </label>
          <label>
            <input type="radio" name="mode" value="agent" checked={mode === 'agent'} onChange={() => setMode('agent')} /> Agent
          </label>
        </fieldset>
        {mode === 'person' ? (
          <>
            <label>
              Email
              <input type="email" name="email" autoComplete="username" required value={email} onInput={(event) => setEmail(event.currentTarget.value)} />
            </label>
            <label>
              Password
              <input type="password" name="password" autoComplete="current-password" required value={password} onInput={(event) => setPassword(event.currentTarget.value)} />
            </label>
          </>
        ) : (
          <label>
            API key
            <input
              type="password"
              name="api_key"
              autoComplete="off"
              spellcheck={false}
              required
              pattern="agmkt_sk_[0-9a-f]{64}"
              placeholder="agmkt_sk_…"
              value={apiKey}
              onInput={(event) => setApiKey(event.currentTarget.value)}
            />
          </label>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {error ? (
          <p class="status status-error" role="alert">
            {error}
          </p>
        ) : null}
        <p id="sign-in-note" class="muted small">
          Kept in this tab only (session storage), never in the address bar.
        </p>
      </form>
    </Panel>
  );
}

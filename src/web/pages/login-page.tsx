import { type FormEvent, useState } from 'react';
import type { LoginRequest, Me } from '../../server/api/auth.types.ts';
import { ApiError, api } from '../api/client.ts';

export function LoginPage(props: { onSignedIn: (me: Me) => void; problem?: string | undefined }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(props.problem ?? null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body: LoginRequest = { email, password };
      const me = await api<Me>('/api/login', { method: 'POST', body });
      props.onSignedIn(me);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login" id="main">
      <form className="card login-card" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">
          <svg className="logo" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
            <path
              d="M12 22V9M12 9c0-3 2-5 5-6-0 3-2 5-5 6zm0 4c0-3-2-5-5-6 0 3 2 5 5 6zm0 4c0-3 2-5 5-6 0 3-2 5-5 6z"
              fill="none"
              stroke="currentColor"
              strokeWidth="1.8"
              strokeLinecap="round"
            />
          </svg>{' '}
          Gleaner
        </h1>
        <p className="muted">No good lead left behind. Sign in to your workspace.</p>
        <label>
          E-mail
          <input
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label>
          Password
          <input
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {error ? (
          <p className="state error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="muted small">The demo prints its logins when it starts (`npm start`).</p>
      </form>
    </main>
  );
}

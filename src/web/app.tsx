import { useCallback, useEffect, useState } from 'react';
import type { Me } from '../server/api/auth.types.ts';
import { ApiError, api, setCsrfToken } from './api/client.ts';
import { Layout } from './components/layout.tsx';
import { CherryPickPage } from './pages/cherry-pick-page.tsx';
import { ImportsPage } from './pages/imports-page.tsx';
import { LeadPage } from './pages/lead-page.tsx';
import { LoginPage } from './pages/login-page.tsx';
import { OverviewPage } from './pages/overview-page.tsx';
import { QueuePage } from './pages/queue-page.tsx';
import { RepsPage } from './pages/reps-page.tsx';
import { SettingsPage } from './pages/settings-page.tsx';
import { SlaBoardPage } from './pages/sla-board-page.tsx';
import { homePath, pagesByRole } from './roles.ts';
import { navigate, type Route, useRoute } from './router.ts';

type Session =
  | { status: 'checking' }
  | { status: 'anonymous'; problem?: string }
  | { status: 'signed-in'; me: Me };

export function App() {
  const [session, setSession] = useState<Session>({ status: 'checking' });
  const route = useRoute();

  const signIn = useCallback((me: Me) => {
    setCsrfToken(me.csrfToken);
    setSession({ status: 'signed-in', me });
    const allowed = pagesByRole[me.role];
    if (!allowed.includes(parseablePage(window.location.hash))) navigate(homePath(me.role));
  }, []);

  useEffect(() => {
    api<Me>('/api/me')
      .then(signIn)
      .catch((error: unknown) =>
        setSession({
          status: 'anonymous',
          problem: error instanceof ApiError && error.status !== 401 ? error.message : undefined,
        }),
      );
    const onExpired = () =>
      setSession({ status: 'anonymous', problem: 'Your session ended; sign in again.' });
    window.addEventListener('gleaner:unauthenticated', onExpired);
    return () => window.removeEventListener('gleaner:unauthenticated', onExpired);
  }, [signIn]);

  const signOut = useCallback(async () => {
    try {
      await api('/api/logout', { method: 'POST' });
    } finally {
      setCsrfToken(null);
      setSession({ status: 'anonymous' });
    }
  }, []);

  if (session.status === 'checking')
    return (
      <div className="state loading center" role="status">
        <span className="spinner" aria-hidden="true" /> Opening Gleaner…
      </div>
    );
  if (session.status === 'anonymous') return <LoginPage onSignedIn={signIn} problem={session.problem} />;
  return (
    <Layout me={session.me} route={route} onSignOut={signOut}>
      <PageFor route={route} me={session.me} />
    </Layout>
  );
}

function parseablePage(hash: string): Route['page'] {
  const path = hash.replace(/^#/, '');
  if (path.startsWith('/leads/')) return 'lead';
  const page = path.replace(/^\//, '');
  return (page === 'sla' ? 'sla' : page || 'overview') as Route['page'];
}

function PageFor(props: { route: Route; me: Me }) {
  const { route, me } = props;
  if (route.page === 'not-found')
    return (
      <div className="state empty">
        There is no page at <code>{route.path}</code>.{' '}
        <a href={`#${homePath(me.role)}`}>Go to your start page</a>.
      </div>
    );
  if (!pagesByRole[me.role].includes(route.page))
    return (
      <div className="state error" role="alert">
        Your role ({me.role}) may not open this page.{' '}
        <a href={`#${homePath(me.role)}`}>Go to your start page</a>.
      </div>
    );
  switch (route.page) {
    case 'overview':
      return <OverviewPage me={me} />;
    case 'sla':
      return <SlaBoardPage me={me} />;
    case 'reps':
      return <RepsPage me={me} />;
    case 'cherry-pick':
      return <CherryPickPage me={me} />;
    case 'lead':
      return <LeadPage id={route.id} />;
    case 'queue':
      return <QueuePage me={me} />;
    case 'imports':
      return <ImportsPage />;
    case 'settings':
      return <SettingsPage me={me} />;
  }
}

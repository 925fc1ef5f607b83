import { useEffect, useState } from 'react';

/** Hash routes (#/overview, #/leads/42 …) so the server only serves one index.html. */
export type Route =
  | { page: 'overview' }
  | { page: 'sla' }
  | { page: 'reps' }
  | { page: 'cherry-pick' }
  | { page: 'lead'; id: number }
  | { page: 'queue' }
  | { page: 'imports' }
  | { page: 'settings' }
  | { page: 'not-found'; path: string };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  const lead = /^\/leads\/(\d+)$/.exec(path);
  if (lead) return { page: 'lead', id: Number(lead[1]) };
  switch (path) {
    case '/':
    case '/overview':
      return { page: 'overview' };
    case '/sla':
      return { page: 'sla' };
    case '/reps':
      return { page: 'reps' };
    case '/cherry-pick':
      return { page: 'cherry-pick' };
    case '/queue':
      return { page: 'queue' };
    case '/imports':
      return { page: 'imports' };
    case '/settings':
      return { page: 'settings' };
    default:
      return { page: 'not-found', path };
  }
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

export const navigate = (path: string): void => {
  window.location.hash = path;
};

import type { ReactNode } from 'react';
import type { Me } from '../../server/api/auth.types.ts';
import { navItems, pagesByRole } from '../roles.ts';
import type { Route } from '../router.ts';

export function Layout(props: { me: Me; route: Route; onSignOut: () => void; children: ReactNode }) {
  const allowed = pagesByRole[props.me.role];
  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <a className="brand" href="#/">
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
        </a>
        <nav aria-label="Main">
          <ul>
            {navItems
              .filter((item) => allowed.includes(item.page))
              .map((item) => (
                <li key={item.page}>
                  <a
                    href={`#${item.path}`}
                    aria-current={props.route.page === item.page ? 'page' : undefined}
                  >
                    {item.label}
                  </a>
                </li>
              ))}
          </ul>
        </nav>
        <div className="who">
          <span className="who-name" data-testid="who">
            {props.me.name} <span className="role-badge">{props.me.role}</span>
          </span>
          <button type="button" className="secondary" onClick={props.onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {props.children}
      </main>
    </div>
  );
}

import type { UserRole } from '../domain/words.ts';
import type { Route } from './router.ts';

type Page = Route['page'];

/** Which pages each role sees in the navigation; the server enforces the same on every endpoint. */
export const pagesByRole: Record<UserRole, readonly Page[]> = {
  admin: ['overview', 'sla', 'reps', 'cherry-pick', 'lead', 'queue', 'imports', 'settings'],
  marketing: ['overview', 'sla', 'cherry-pick', 'lead', 'settings'],
  manager: ['overview', 'sla', 'reps', 'cherry-pick', 'lead', 'queue', 'settings'],
  rep: ['queue', 'sla', 'lead'],
};

export const navItems: ReadonlyArray<{ page: Page; path: string; label: string }> = [
  { page: 'overview', path: '/overview', label: 'Overview' },
  { page: 'queue', path: '/queue', label: 'Queue' },
  { page: 'sla', path: '/sla', label: 'SLA board' },
  { page: 'reps', path: '/reps', label: 'Reps' },
  { page: 'cherry-pick', path: '/cherry-pick', label: 'Cherry-pick' },
  { page: 'imports', path: '/imports', label: 'Imports' },
  { page: 'settings', path: '/settings', label: 'Settings' },
];

export const homePath = (role: UserRole): string => (role === 'rep' ? '/queue' : '/overview');

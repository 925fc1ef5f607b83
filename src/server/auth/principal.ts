import type { UserRole } from '../../domain/words.ts';

/** The authenticated caller. `csrfToken` is set for cookie sessions only (tokens need no CSRF check). */
export type Principal = Readonly<{
  userId: number;
  email: string;
  name: string;
  role: UserRole;
  repId: number | null;
  teamId: number | null;
  via: 'session' | 'token';
  csrfToken: string | null;
  sessionHash: string | null;
}>;

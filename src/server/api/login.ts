import { AppError } from '../../errors/app-error.ts';
import { verifyPassword } from '../auth/password.ts';
import { createSession } from '../auth/sessions.ts';
import { findUserByEmail, toUser } from '../auth/users.ts';
import type { ServerDeps } from '../route.ts';
import type { LoginRequest, Me } from './auth.types.ts';

/**
 * Checks the password and opens a session. Refused with 429 after too many failures for this
 * client address + email; the answer never says whether the email exists.
 */
export async function login(
  deps: ServerDeps,
  options: { input: LoginRequest; clientAddress: string },
): Promise<{ me: Me; sessionId: string; expiresAt: number }> {
  const email = options.input.email.toLowerCase();
  const key = `${options.clientAddress}|${email}`;
  const now = deps.now();
  const wait = deps.loginLimiter.retryAfter(key, now);
  if (wait > 0) {
    throw new AppError('rate_limited', `too many failed logins; try again in ${Math.ceil(wait / 1000)} s`);
  }
  const user = await findUserByEmail(deps.store.db, email);
  const ok = await verifyPassword(options.input.password, user?.password_hash ?? null);
  if (!user || !ok || user.disabled) {
    deps.loginLimiter.recordFailure(key, now);
    throw new AppError('unauthenticated', 'wrong email or password');
  }
  deps.loginLimiter.reset(key);
  const session = await createSession(deps.store.db, {
    userId: user.id,
    now,
    ttlMs: deps.config.server.sessionTtlMs,
  });
  const u = toUser(user);
  return {
    me: {
      id: u.id,
      email: u.email,
      name: u.name,
      role: u.role,
      repId: u.repId,
      teamId: u.teamId,
      csrfToken: session.csrfToken,
    },
    sessionId: session.id,
    expiresAt: session.expiresAt,
  };
}

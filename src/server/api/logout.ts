import type { Principal } from '../auth/principal.ts';
import { deleteSession } from '../auth/sessions.ts';
import type { ServerDeps } from '../route.ts';

/** Ends the caller's session (a no-op for token callers: revoke the token instead). */
export async function logout(deps: ServerDeps, principal: Principal): Promise<void> {
  const { sessionHash } = principal;
  if (!sessionHash) return;
  await deleteSession(deps.store.db, sessionHash);
  deps.principals.forget((key) => key === `session:${sessionHash}`);
}

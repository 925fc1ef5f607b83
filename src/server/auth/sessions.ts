import type { Kysely } from 'kysely';
import { UserRole } from '../../domain/words.ts';
import type { Database } from '../../store/schema.ts';
import type { Principal } from './principal.ts';
import { newSecret, sha256 } from './secrets.ts';

/** Creates a session; returns the raw id (for the cookie only — the table keeps its hash). */
export async function createSession(
  db: Kysely<Database>,
  options: { userId: number; now: number; ttlMs: number },
): Promise<{ id: string; csrfToken: string; expiresAt: number }> {
  const id = newSecret();
  const csrfToken = newSecret();
  const expiresAt = options.now + options.ttlMs;
  await db
    .insertInto('sessions')
    .values({
      id_hash: sha256(id),
      user_id: options.userId,
      csrf_token: csrfToken,
      created_at: options.now,
      expires_at: expiresAt,
    })
    .execute();
  return { id, csrfToken, expiresAt };
}

/** The principal behind a session cookie, or null when unknown, expired, or the user is disabled. */
export async function principalFromSession(
  db: Kysely<Database>,
  rawId: string,
  now: number,
): Promise<Principal | null> {
  const idHash = sha256(rawId);
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'users.id',
      'users.email',
      'users.name',
      'users.role',
      'users.rep_id',
      'users.team_id',
      'users.disabled',
    ])
    .select(['sessions.csrf_token', 'sessions.expires_at'])
    .where('sessions.id_hash', '=', idHash)
    .executeTakeFirst();
  if (!row || row.expires_at <= now || row.disabled) return null;
  const role = UserRole.safeParse(row.role);
  if (!role.success) return null;
  return {
    userId: row.id,
    email: row.email,
    name: row.name,
    role: role.data,
    repId: row.rep_id,
    teamId: row.team_id,
    via: 'session',
    csrfToken: row.csrf_token,
    sessionHash: idHash,
  };
}

export async function deleteSession(db: Kysely<Database>, sessionHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', sessionHash).execute();
}

export async function deleteExpiredSessions(db: Kysely<Database>, now: number): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
}

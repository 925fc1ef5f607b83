import type { Kysely } from 'kysely';
import { UserRole } from '../../domain/words.ts';
import { notFound } from '../../errors/app-error.ts';
import type { Database } from '../../store/schema.ts';
import type { ApiToken, CreatedToken } from '../api/users.types.ts';
import type { Principal } from './principal.ts';
import { newSecret, sha256 } from './secrets.ts';

const TOKEN_PREFIX = 'glt_';
// last_used_at is informational: write it at most once a minute per token, not on every request.
const LAST_USED_RESOLUTION_MS = 60_000;

/** Creates an API token; the returned `token` is the only time the secret exists outside the caller. */
export async function createApiToken(
  db: Kysely<Database>,
  options: { userId: number; name: string; now: number },
): Promise<CreatedToken> {
  const user = await db.selectFrom('users').select('id').where('id', '=', options.userId).executeTakeFirst();
  if (!user) throw notFound(`no user with id ${options.userId}`);
  const token = `${TOKEN_PREFIX}${newSecret()}`;
  const row = await db
    .insertInto('api_tokens')
    .values({
      user_id: options.userId,
      name: options.name,
      token_hash: sha256(token),
      created_at: options.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { ...toApiToken(row), token };
}

export async function listApiTokens(db: Kysely<Database>): Promise<ApiToken[]> {
  const rows = await db.selectFrom('api_tokens').selectAll().orderBy('id').execute();
  return rows.map(toApiToken);
}

export async function revokeApiToken(
  db: Kysely<Database>,
  options: { id: number; now: number },
): Promise<ApiToken> {
  const row = await db
    .updateTable('api_tokens')
    .set({ revoked_at: options.now })
    .where('id', '=', options.id)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw notFound(`no API token with id ${options.id}`);
  return toApiToken(row);
}

/** The principal behind a Bearer token, or null when unknown, revoked, or its user is disabled. */
export async function principalFromToken(
  db: Kysely<Database>,
  token: string,
  now: number,
): Promise<Principal | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const row = await db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select([
      'users.id',
      'users.email',
      'users.name',
      'users.role',
      'users.rep_id',
      'users.team_id',
      'users.disabled',
    ])
    .select(['api_tokens.id as token_id', 'api_tokens.revoked_at', 'api_tokens.last_used_at'])
    .where('api_tokens.token_hash', '=', sha256(token))
    .executeTakeFirst();
  if (!row || row.revoked_at !== null || row.disabled) return null;
  const role = UserRole.safeParse(row.role);
  if (!role.success) return null;
  if (row.last_used_at === null || now - row.last_used_at > LAST_USED_RESOLUTION_MS) {
    await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.token_id).execute();
  }
  return {
    userId: row.id,
    email: row.email,
    name: row.name,
    role: role.data,
    repId: row.rep_id,
    teamId: row.team_id,
    via: 'token',
    csrfToken: null,
    sessionHash: null,
  };
}

type TokenRow = {
  id: number;
  user_id: number;
  name: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
};

const toApiToken = (row: TokenRow): ApiToken => ({
  id: row.id,
  userId: row.user_id,
  name: row.name,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
  revokedAt: row.revoked_at,
});

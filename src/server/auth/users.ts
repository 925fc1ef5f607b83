import type { Kysely } from 'kysely';
import { UserRole } from '../../domain/words.ts';
import { AppError, badInput } from '../../errors/app-error.ts';
import type { Database, UserRow } from '../../store/schema.ts';
import {
  type CreateUserRequest,
  CreateUserRequest as CreateUserSchema,
  type User,
} from '../api/users.types.ts';
import { hashPassword } from './password.ts';

/** Adds a local user. A rep user must name an existing rep; a manager must name an existing team. */
export async function createUser(
  db: Kysely<Database>,
  options: { input: CreateUserRequest; now: number; passwordCost?: number },
): Promise<User> {
  const parsed = CreateUserSchema.safeParse(options.input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw badInput(issue?.message ?? 'invalid user', { field: issue?.path.join('.') ?? '' });
  }
  const input = parsed.data;
  const email = input.email.toLowerCase();
  const repId = input.repId ?? null;
  let teamId = input.teamId ?? null;
  if (input.role === 'rep' && repId === null) throw badInput('a rep user needs a rep', { field: 'repId' });
  if (input.role === 'manager' && teamId === null)
    throw badInput('a manager user needs a team', { field: 'teamId' });
  if (repId !== null) {
    const rep = await db
      .selectFrom('reps')
      .select(['id', 'team_id'])
      .where('id', '=', repId)
      .executeTakeFirst();
    if (!rep) throw badInput(`no rep with id ${repId}`, { field: 'repId' });
    teamId ??= rep.team_id;
  }
  if (teamId !== null) {
    const team = await db.selectFrom('teams').select('id').where('id', '=', teamId).executeTakeFirst();
    if (!team) throw badInput(`no team with id ${teamId}`, { field: 'teamId' });
  }
  const existing = await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
  if (existing) throw new AppError('conflict', `a user with email ${email} already exists`);
  const row = await db
    .insertInto('users')
    .values({
      email,
      name: input.name ?? email,
      password_hash: await hashPassword(input.password, { cost: options.passwordCost }),
      role: input.role,
      rep_id: repId,
      team_id: teamId,
      created_at: options.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toUser(row);
}

export async function listUsers(db: Kysely<Database>): Promise<User[]> {
  const rows = await db.selectFrom('users').selectAll().orderBy('id').execute();
  return rows.map(toUser);
}

export async function findUserByEmail(db: Kysely<Database>, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
}

export const toUser = (row: UserRow): User => ({
  id: row.id,
  email: row.email,
  name: row.name,
  role: UserRole.parse(row.role),
  repId: row.rep_id,
  teamId: row.team_id,
  disabled: row.disabled === 1,
  createdAt: row.created_at,
});

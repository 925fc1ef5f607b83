import { basename, isAbsolute } from 'node:path';
import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import { AppError, badInput, notFound } from '../errors/app-error.ts';
import type { Database, ImapAccountsTable } from '../store/schema.ts';
import { type ImapAccount, ImapAccountFields } from './imap.ts';

// Accounts stored in the workspace (table imap_accounts) for `gleaner capture imap --account <name>`.
// Whoever edits them through the API is not necessarily trusted with the host's other secrets, so a
// stored account may only name an IMAP-specific variable or a password-like file: it cannot aim the
// capture at DATABASE_URL or /etc/shadow and send that to a host of its choosing.

const passwordEnvName = z
  .string()
  .regex(
    /^(GLEANER_)?IMAP_[A-Z0-9_]+$/,
    'must name an upper-case variable starting IMAP_ or GLEANER_IMAP_ (e.g. IMAP_SALES_PASSWORD)',
  );

const passwordFilePath = z
  .string()
  .min(2)
  .max(1024)
  .refine(isAbsolute, 'must be an absolute path')
  .refine((p) => !p.split(/[\\/]/).includes('..'), 'must not contain ".."')
  .refine(
    (p) => /(^|[._-])(pw|pass|password|passwd|secret)$/i.test(basename(p)),
    'the file name must end in pw, pass, password, passwd or secret (e.g. /run/secrets/imap-sales.password)',
  );

/** A short handle for the account: what `gleaner capture imap --account <name>` takes. */
export const ImapAccountName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'lower-case letters, digits, ".", "_" and "-", at most 63');

/** Fields of a stored account; the CLI's account file schema plus a name and stricter secret sources. */
const StoredFields = ImapAccountFields.extend({
  name: ImapAccountName,
  passwordEnv: passwordEnvName.optional(),
  passwordFile: passwordFilePath.optional(),
}).strict();

/** Adding an account: exactly one secret source, as in an account file. */
export const NewImapAccount = StoredFields.refine((a) => Boolean(a.passwordEnv) !== Boolean(a.passwordFile), {
  message: 'give exactly one of "passwordEnv" or "passwordFile"',
  path: ['passwordEnv'],
});
export type NewImapAccount = z.infer<typeof NewImapAccount>;

/** Replacing an account: the secret source may be left out to keep the stored one. */
export const ImapAccountUpdate = StoredFields.refine((a) => !(a.passwordEnv && a.passwordFile), {
  message: 'give at most one of "passwordEnv" or "passwordFile" (neither keeps the stored one)',
  path: ['passwordEnv'],
});
export type ImapAccountUpdate = z.infer<typeof ImapAccountUpdate>;

/** A stored account as anyone may see it: where the password comes from, never which variable or file. */
export type ImapAccountRecord = {
  id: number;
  name: string;
  host: string;
  port: number;
  tls: boolean;
  allowSelfSigned: boolean;
  user: string;
  folders: string[];
  passwordSource: 'env' | 'file' | null;
  createdAt: number;
  updatedAt: number;
};

type Row = Selectable<ImapAccountsTable>;

const toRecord = (r: Row): ImapAccountRecord => ({
  id: r.id,
  name: r.name,
  host: r.host,
  port: r.port,
  tls: r.tls === 1,
  allowSelfSigned: r.allow_self_signed === 1,
  user: r.user_name,
  folders: JSON.parse(r.folders) as string[],
  passwordSource: r.password_env ? 'env' : r.password_file ? 'file' : null,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toColumns = (a: NewImapAccount | ImapAccountUpdate) => ({
  name: a.name,
  host: a.host,
  port: a.port,
  tls: a.tls ? 1 : 0,
  allow_self_signed: a.allowSelfSigned ? 1 : 0,
  user_name: a.user,
  folders: JSON.stringify(a.folders),
});

export async function listImapAccounts(db: Kysely<Database>): Promise<ImapAccountRecord[]> {
  const rows = await db.selectFrom('imap_accounts').selectAll().orderBy('name').execute();
  return rows.map(toRecord);
}

async function rowById(db: Kysely<Database>, id: number): Promise<Row> {
  const row = await db.selectFrom('imap_accounts').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`no IMAP account with id ${id}`);
  return row;
}

async function assertNameFree(db: Kysely<Database>, options: { name: string; exceptId?: number }) {
  let q = db.selectFrom('imap_accounts').select('id').where('name', '=', options.name);
  if (options.exceptId !== undefined) q = q.where('id', '<>', options.exceptId);
  if (await q.executeTakeFirst())
    throw new AppError('conflict', `an IMAP account named "${options.name}" exists already`, {
      location: { field: 'name' },
    });
}

/** Adds an account (names are unique: 409 otherwise). */
export async function createImapAccount(
  db: Kysely<Database>,
  options: { input: NewImapAccount; now: number },
): Promise<ImapAccountRecord> {
  const { input, now } = options;
  await assertNameFree(db, { name: input.name });
  const row = await db
    .insertInto('imap_accounts')
    .values({
      ...toColumns(input),
      password_env: input.passwordEnv ?? null,
      password_file: input.passwordFile ?? null,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toRecord(row);
}

/** Replaces an account's fields; its secret source only when the input names one. */
export async function updateImapAccount(
  db: Kysely<Database>,
  options: { id: number; input: ImapAccountUpdate; now: number },
): Promise<ImapAccountRecord> {
  const { id, input, now } = options;
  await rowById(db, id);
  await assertNameFree(db, { name: input.name, exceptId: id });
  const secret =
    input.passwordEnv || input.passwordFile
      ? { password_env: input.passwordEnv ?? null, password_file: input.passwordFile ?? null }
      : {};
  const row = await db
    .updateTable('imap_accounts')
    .set({ ...toColumns(input), ...secret, updated_at: now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toRecord(row);
}

/** Removes an account; its capture cursors stay, so adding it again resumes where it left off. */
export async function deleteImapAccount(db: Kysely<Database>, id: number): Promise<ImapAccountRecord> {
  const row = await rowById(db, id);
  await db.deleteFrom('imap_accounts').where('id', '=', id).execute();
  return toRecord(row);
}

/** The stored account named `name`, as the capture reads it (with its secret source). */
export async function loadStoredImapAccount(db: Kysely<Database>, name: string): Promise<ImapAccount> {
  const row = await db.selectFrom('imap_accounts').selectAll().where('name', '=', name).executeTakeFirst();
  if (!row)
    throw badInput(`no account file "${name}" and no stored IMAP account of that name`, {
      field: 'account',
    });
  return {
    host: row.host,
    port: row.port,
    tls: row.tls === 1,
    allowSelfSigned: row.allow_self_signed === 1,
    user: row.user_name,
    ...(row.password_env ? { passwordEnv: row.password_env } : {}),
    ...(row.password_file ? { passwordFile: row.password_file } : {}),
    folders: JSON.parse(row.folders) as string[],
  };
}

import { type Kysely, sql, type Transaction } from 'kysely';
import { AppError } from '../errors/app-error.ts';
import type { Database } from '../store/schema.ts';

// A large SQLite capture checks the references of the rows it wrote once per transaction, set-based,
// instead of row by row through the foreign keys (src/capture/capture-run.ts, writeBatches). Each
// foreign-key check is a look-up of the parent row by id, and the captured leads' ids fall anywhere
// in a leads table larger than the capture's page cache: for 100,000 messages the row-by-row checks
// cost the writer ~0.45 s, this check ~0.15 s (each parent looked up once, in id order). It runs
// before the transaction commits and while it holds the write lock, so no row that points nowhere is
// ever committed: the same guarantee as the foreign keys.

/** The foreign keys of the rows a capture inserts (activities, auto-created contacts). */
const REFERENCES = [
  { table: 'activities', column: 'lead_id', parent: 'leads' },
  { table: 'activities', column: 'rep_id', parent: 'reps' },
  { table: 'activities', column: 'contact_id', parent: 'contacts' },
  { table: 'activities', column: 'account_id', parent: 'accounts' },
  { table: 'contacts', column: 'account_id', parent: 'accounts' },
] as const;

/** The last row ids of the tables a capture inserts into: the rows after them are the new ones. */
export type RowMarks = { activities: number; contacts: number };

export async function rowMarks(trx: Transaction<Database>): Promise<RowMarks> {
  const row = (
    await sql<{ activities: number | null; contacts: number | null }>`
      select (select max(rowid) from activities) as activities, (select max(rowid) from contacts) as contacts`.execute(
      trx,
    )
  ).rows[0];
  return { activities: Number(row?.activities ?? 0), contacts: Number(row?.contacts ?? 0) };
}

/**
 * Fails (the transaction then rolls back) when a row inserted after `marks` refers to a lead, rep,
 * contact or account that does not exist. SQLite only. The distinct ids are read from the new rows
 * by rowid (the `+` keeps SQLite from scanning an index on the reference over the whole table).
 */
export async function checkNewReferences(trx: Transaction<Database>, marks: RowMarks): Promise<void> {
  const parts = REFERENCES.map(
    ({ table, column, parent }) => sql`
      select ${table} as "table", ${column} as "column", count(*) as missing
      from (select distinct ${sql.ref(column)} as id from ${sql.table(table)}
            where rowid > ${marks[table]} and +${sql.ref(column)} is not null) as refs
      where not exists (select 1 from ${sql.table(parent)} as p where p.id = refs.id)`,
  );
  const rows = (
    await sql<{
      table: string;
      column: string;
      missing: number;
    }>`${sql.join(parts, sql` union all `)}`.execute(trx)
  ).rows;
  const dangling = rows.filter((r) => Number(r.missing) > 0);
  if (dangling.length > 0)
    throw new AppError(
      'internal',
      `capture wrote rows that refer to nothing: ${dangling.map((r) => `${r.missing} ${r.table}.${r.column}`).join(', ')}`,
    );
}

/**
 * Runs `work` with the connection's foreign-key checks off (SQLite), setting them back after. The
 * caller checks what it wrote with checkNewReferences, and must own the connection meanwhile: nothing
 * else may write on it.
 */
export async function withoutForeignKeyChecks<T>(db: Kysely<Database>, work: () => Promise<T>): Promise<T> {
  const before = (await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db)).rows[0]?.foreign_keys;
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    return await work();
  } finally {
    await sql.raw(`pragma foreign_keys = ${Number(before ?? 1)}`).execute(db);
  }
}

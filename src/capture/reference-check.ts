import { type Kysely, sql, type Transaction } from 'kysely';
import { AppError } from '../errors/app-error.ts';
import type { Database } from '../store/schema.ts';
import { setSqlitePragma } from '../store/sqlite-pragma.ts';

// A large SQLite capture checks the references of the rows it writes once per transaction, set-based,
// instead of row by row through the foreign keys (src/capture/capture-run.ts, writeBatches). Each
// foreign-key check is a look-up of the parent row, and the captured leads fall anywhere in a leads
// table larger than the capture's page cache: for 100,000 messages the row-by-row checks cost the
// writer ~0.45-0.5 s. Here the ids the segment's rows refer to are collected as they are written,
// and each parent table is asked once per segment for those of them it lacks, in id order (a few
// milliseconds). The check runs before the transaction commits and while it holds the write lock,
// so no row that points nowhere is ever committed: the same guarantee as the foreign keys.

/** The parent tables the rows a capture writes refer to (activities; auto-created contacts). */
export type ReferencedIds = Record<'leads' | 'reps' | 'contacts' | 'accounts', Set<number>>;

export const noReferencedIds = (): ReferencedIds => ({
  leads: new Set(),
  reps: new Set(),
  contacts: new Set(),
  accounts: new Set(),
});

/**
 * Fails (the transaction then rolls back) when an id in `ids` names no row of its table. SQLite:
 * the ids go to the store as one JSON array per table.
 */
export async function checkReferencedIds(trx: Transaction<Database>, ids: ReferencedIds): Promise<void> {
  const missing: string[] = [];
  for (const [table, set] of Object.entries(ids)) {
    if (set.size === 0) continue;
    const sorted = [...set].sort((a, b) => a - b);
    const row = (
      await sql<{ missing: number; first: number | null }>`
        select count(*) as missing, min(j.value) as first from json_each(${JSON.stringify(sorted)}) as j
        where not exists (select 1 from ${sql.table(table)} as p where p.id = j.value)`.execute(trx)
    ).rows[0];
    if (Number(row?.missing ?? 0) > 0) missing.push(`${row?.missing} ${table} (first id ${row?.first})`);
  }
  if (missing.length > 0)
    throw new AppError('internal', `capture refers to rows that do not exist: ${missing.join(', ')}`);
}

/**
 * Runs `work` with the connection's foreign-key checks off (SQLite), setting them back after. The
 * caller checks what it writes with checkReferencedIds, and must own the connection meanwhile:
 * nothing else may write on it.
 */
export async function withoutForeignKeyChecks<T>(db: Kysely<Database>, work: () => Promise<T>): Promise<T> {
  const reset = await setSqlitePragma(db, 'foreign_keys', 'off');
  try {
    return await work();
  } finally {
    await reset();
  }
}

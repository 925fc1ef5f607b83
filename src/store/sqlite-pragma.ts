import { type Kysely, sql } from 'kysely';
import type { Database } from './schema.ts';

/** The SQLite connection settings Gleaner changes for the length of a run and then sets back. */
export type SqlitePragma = 'cache_size' | 'threads' | 'temp_store' | 'foreign_keys';

/**
 * Sets a pragma of a SQLite connection to `value`; returns what sets it back to the value it had.
 * The caller runs that when its work ends, in `finally`, so a failed run restores it too.
 */
export async function setSqlitePragma(
  db: Kysely<Database>,
  name: SqlitePragma,
  value: number | string,
): Promise<() => Promise<void>> {
  const before = (await sql<Record<string, number>>`${sql.raw(`pragma ${name}`)}`.execute(db)).rows[0]?.[
    name
  ];
  await sql.raw(`pragma ${name} = ${value}`).execute(db);
  return async () => {
    if (before !== undefined) await sql.raw(`pragma ${name} = ${Number(before)}`).execute(db);
  };
}

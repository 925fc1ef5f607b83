import { CompiledQuery, type Kysely, SqliteAdapter } from 'kysely';

type Value = string | number | null;

/**
 * A multi-row INSERT compiled by hand: Kysely's query builder spends more time building an
 * 800-row statement than the database spends running it, which matters at capture volumes.
 * The only engine difference (the placeholder style) sits here.
 */
export async function bulkInsert<R = Record<string, unknown>>(
  // biome-ignore lint/suspicious/noExplicitAny: raw SQL needs no table types; works on a Kysely or a transaction.
  db: Kysely<any>,
  input: {
    table: string;
    columns: readonly string[];
    rows: ReadonlyArray<readonly Value[]>;
    /** Skip rows that conflict on this unique key. */
    conflictDoNothing?: readonly string[];
    /** Or a raw `on conflict …` clause (e.g. `do update set …`), written by the caller. */
    onConflict?: string;
    returning?: readonly string[];
  },
): Promise<R[]> {
  if (input.rows.length === 0) return [];
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  const params: Value[] = [];
  const tuples: string[] = [];
  for (const row of input.rows) {
    const marks: string[] = [];
    for (const value of row) {
      params.push(value);
      marks.push(sqlite ? '?' : `$${params.length}`);
    }
    tuples.push(`(${marks.join(',')})`);
  }
  const quote = (name: string) => `"${name}"`;
  let text = `insert into ${quote(input.table)} (${input.columns.map(quote).join(',')}) values ${tuples.join(',')}`;
  if (input.conflictDoNothing)
    text += ` on conflict (${input.conflictDoNothing.map(quote).join(',')}) do nothing`;
  else if (input.onConflict) text += ` ${input.onConflict}`;
  if (input.returning) text += ` returning ${input.returning.map(quote).join(',')}`;
  const result = await db.executeQuery<R>(CompiledQuery.raw(text, params));
  return result.rows;
}

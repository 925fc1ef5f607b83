import { CompiledQuery, type Kysely, SqliteAdapter } from 'kysely';

/** One value of a row: text, a number, or NULL. */
export type BulkValue = string | number | null;
type Value = BulkValue;

/** A column's PostgreSQL type, for its array parameter (`$1::bigint[]`); SQLite needs none. */
export type PgColumnType = 'text' | 'bigint' | 'integer' | 'double precision';

export type BulkInsert = {
  table: string;
  columns: readonly string[];
  /** One per column, in the same order. */
  types: readonly PgColumnType[];
  /** The rows' values one after another (row-major): no array per row. */
  values: readonly Value[];
  /** Skip rows that conflict on this unique key. */
  conflictDoNothing?: readonly string[];
  /** Or a raw `on conflict …` clause (e.g. `do update set …`), written by the caller. */
  onConflict?: string;
  returning?: readonly string[];
};

/**
 * A multi-row INSERT compiled by hand: Kysely's query builder spends more time building an
 * 800-row statement than the database spends running it, which matters at capture volumes.
 * The engine difference sits here. SQLite gets multi-row VALUES in a few fixed sizes, so the
 * same prepared statements serve every batch (open-store.ts caches them). PostgreSQL gets one
 * array parameter per column and `unnest`: one statement text for any number of rows, a dozen
 * parameters instead of thousands, and array literals written here rather than by the driver.
 */
export async function bulkInsert<R = Record<string, unknown>>(
  // biome-ignore lint/suspicious/noExplicitAny: raw SQL needs no table types; works on a Kysely or a transaction.
  db: Kysely<any>,
  input: BulkInsert,
): Promise<R[]> {
  if (input.values.length === 0) return [];
  if (input.values.length % input.columns.length !== 0)
    throw new Error(
      `bulkInsert into ${input.table}: ${input.values.length} values for ${input.columns.length} columns`,
    );
  if (db.getExecutor().adapter instanceof SqliteAdapter) return insertSqlite<R>(db, input);
  const result = await db.executeQuery<R>(CompiledQuery.raw(postgresText(input), postgresParams(input)));
  return result.rows as R[];
}

const quote = (name: string) => `"${name}"`;

function suffix(input: BulkInsert): string {
  let text = '';
  if (input.conflictDoNothing)
    text += ` on conflict (${input.conflictDoNothing.map(quote).join(',')}) do nothing`;
  else if (input.onConflict) text += ` ${input.onConflict}`;
  if (input.returning) text += ` returning ${input.returning.map(quote).join(',')}`;
  return text;
}

// Statement texts by table, columns, clauses and row count: built once, not once per batch.
const texts = new Map<string, string>();

function cachedText(key: string, build: () => string): string {
  let text = texts.get(key);
  if (text === undefined) {
    if (texts.size >= 256) texts.clear();
    text = build();
    texts.set(key, text);
  }
  return text;
}

// Row counts of the SQLite statements: a batch is cut into these sizes (largest first), so a
// handful of statement shapes serve every batch, however many rows it has.
const SQLITE_SIZES = [512, 256, 128, 64, 32, 16, 8, 4, 2, 1];

async function insertSqlite<R>(
  // biome-ignore lint/suspicious/noExplicitAny: as above.
  db: Kysely<any>,
  input: BulkInsert,
): Promise<R[]> {
  const out: R[] = [];
  const width = input.columns.length;
  const rows = input.values.length / width;
  const tail = suffix(input);
  const head = `insert into ${quote(input.table)} (${input.columns.map(quote).join(',')}) values `;
  const tuple = `(${input.columns.map(() => '?').join(',')})`;
  let at = 0;
  for (const size of SQLITE_SIZES) {
    while (rows - at >= size) {
      const text = cachedText(`${head}${size}${tail}`, () => head + Array(size).fill(tuple).join(',') + tail);
      // A batch of exactly one statement size is passed as it is, without a copy.
      const params = (
        size === rows ? input.values : input.values.slice(at * width, (at + size) * width)
      ) as Value[];
      const result = await db.executeQuery<R>(CompiledQuery.raw(text, params));
      for (const row of result.rows) out.push(row);
      at += size;
    }
  }
  return out;
}

function postgresText(input: BulkInsert): string {
  const tail = suffix(input);
  return cachedText(`pg:${input.table}:${input.columns.join(',')}:${input.types.join(',')}:${tail}`, () => {
    const arrays = input.types.map((type, i) => `$${i + 1}::${type}[]`).join(',');
    return `insert into ${quote(input.table)} (${input.columns.map(quote).join(',')}) select * from unnest(${arrays})${tail}`;
  });
}

function postgresParams(input: BulkInsert): string[] {
  const params: string[] = [];
  const width = input.columns.length;
  const values = input.values;
  for (let c = 0; c < width; c++) {
    let literal = '{';
    for (let i = c; i < values.length; i += width) {
      if (i > c) literal += ',';
      literal += arrayElement(values[i] ?? null);
    }
    params.push(`${literal}}`);
  }
  return params;
}

// An element that needs no quotes in an array literal: no quote, backslash, comma, brace or
// space, and not the word NULL.
const PLAIN = /^[^"\\,{}\s]+$/;

/** One element of a PostgreSQL array literal (`{a,"b c",NULL}`). */
export function arrayElement(value: Value): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') return String(value);
  if (PLAIN.test(value) && (value.length !== 4 || value.toUpperCase() !== 'NULL')) return value;
  return `"${value.replace(/[\\"]/g, '\\$&')}"`;
}

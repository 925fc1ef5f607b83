import { CompiledQuery, type Kysely } from 'kysely';
import { arrayElement, bulkInsert } from '../store/bulk-insert.ts';
import type { Engine } from '../store/open-store.ts';
import type { Database } from '../store/schema.ts';

// The one place where the importer's bulk SQL differs between engines (inserts go through the
// store's bulkInsert). SQLite gets `?` placeholders (at most 32,766 per statement); PostgreSQL gets
// one array parameter per column and `unnest`, so a batch of any size is one statement with a
// handful of parameters.

export type Db = Kysely<Database>;
export type Cell = string | number | null;
export type ColumnType = 'text' | 'bigint' | 'double precision' | 'integer';

const SQLITE_MAX_PARAMS = 32_000;

const quote = (name: string) => `"${name}"`;

/** A PostgreSQL array literal, e.g. `{a,"b c",NULL}` (elements written as the store's bulk inserts write them). */
export function pgArray(values: readonly Cell[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ',';
    out += arrayElement(values[i] ?? null);
  }
  return `${out}}`;
}

async function run<T>(db: Db, sql: string, params: readonly unknown[]): Promise<T[]> {
  const result = await db.executeQuery<T>(CompiledQuery.raw(sql, params as unknown[]));
  return [...result.rows];
}

/** Rows of `table` whose `key` is one of `keys`, with the named columns. */
export async function selectByKeys<T>(options: {
  db: Db;
  engine: Engine;
  table: string;
  key: string;
  keys: readonly string[];
  columns: readonly string[];
}): Promise<T[]> {
  const { db, engine, table, key, keys } = options;
  if (keys.length === 0) return [];
  const cols = options.columns.map(quote).join(', ');
  if (engine === 'postgres') {
    return run<T>(db, `select ${cols} from ${quote(table)} where ${quote(key)} = any($1::text[])`, [
      pgArray(keys),
    ]);
  }
  const out: T[] = [];
  for (let i = 0; i < keys.length; i += SQLITE_MAX_PARAMS) {
    const chunk = keys.slice(i, i + SQLITE_MAX_PARAMS);
    const marks = chunk.map(() => '?').join(',');
    out.push(
      ...(await run<T>(db, `select ${cols} from ${quote(table)} where ${quote(key)} in (${marks})`, chunk)),
    );
  }
  return out;
}

/**
 * Inserts rows given one after another in `values` (row-major, `columns` order) with the store's
 * bulk insert (PostgreSQL `unnest`, SQLite fixed-size multi-row statements) and returns each new
 * row's id and key.
 */
export async function insertRows(options: {
  db: Db;
  table: string;
  columns: readonly string[];
  types: readonly ColumnType[];
  values: readonly Cell[];
  key: string;
  /** Leave rows whose unique columns already exist alone (ON CONFLICT DO NOTHING). */
  ignoreConflicts?: boolean;
  /** Return each new row's id and key (default); without, the result is empty and cheaper. */
  returnIds?: boolean;
}): Promise<Array<{ id: number; key: string }>> {
  const { db, table, columns, types, values, key } = options;
  if (values.length === 0) return [];
  const returnIds = options.returnIds !== false;
  const created = await bulkInsert<Record<string, unknown>>(db, {
    table,
    columns,
    types,
    values,
    onConflict: options.ignoreConflicts ? 'on conflict do nothing' : undefined,
    returning: returnIds ? ['id', key] : undefined,
  });
  return returnIds ? created.map((r) => ({ id: Number(r.id), key: String(r[key]) })) : [];
}

/** Updates rows by id: `rows` are [id, ...values in `columns` order]. */
export async function updateRows(options: {
  db: Db;
  engine: Engine;
  table: string;
  columns: readonly string[];
  types: readonly ColumnType[];
  rows: readonly Cell[][];
}): Promise<void> {
  const { db, engine, table, columns, types, rows } = options;
  if (rows.length === 0) return;
  if (engine === 'postgres') {
    const arrays = [
      pgArray(rows.map((r) => r[0] ?? null)),
      ...columns.map((_, c) => pgArray(rows.map((r) => r[c + 1] ?? null))),
    ];
    const unnest = ['bigint', ...types].map((t, i) => `$${i + 1}::${t}[]`).join(', ');
    const alias = ['id', ...columns].map((c) => quote(`v_${c}`)).join(', ');
    const sets = columns.map((c) => `${quote(c)} = v.${quote(`v_${c}`)}`).join(', ');
    await run(
      db,
      `update ${quote(table)} as t set ${sets} from unnest(${unnest}) as v(${alias}) where t.id = v."v_id"`,
      arrays,
    );
    return;
  }
  const sets = columns.map((c) => `${quote(c)} = ?`).join(', ');
  const sql = `update ${quote(table)} set ${sets} where id = ?`;
  for (const r of rows) await run(db, sql, [...r.slice(1), r[0]]);
}

/** Runs plain SQL with `?` placeholders on SQLite and `$n` on PostgreSQL. */
export function execute<T>(options: {
  db: Db;
  engine: Engine;
  sql: string;
  params: readonly unknown[];
}): Promise<T[]> {
  let n = 0;
  const text = options.engine === 'postgres' ? options.sql.replace(/\?/g, () => `$${++n}`) : options.sql;
  return run<T>(options.db, text, options.params);
}

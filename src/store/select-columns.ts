import {
  type Expression,
  type Kysely,
  type RawBuilder,
  type SelectQueryBuilder,
  SqliteAdapter,
  sql,
} from 'kysely';

/** How a column is read back: integers and text as they are; reals exactly (SQLite's JSON keeps 15 digits). */
export type ColumnKind = 'int' | 'real' | 'text';

/**
 * Runs a select (ordered by `orderBy`) and returns each column as one array, read from a single
 * aggregate row (one JSON array per column) instead of one object per row: at 100k+ rows the driver's
 * row objects cost more than the query. Pages by `orderBy` (a unique integer column) `pageSize` rows at
 * a time. The only SQL that differs between the engines is here.
 */
export async function selectColumns<C extends string>(
  // biome-ignore lint/suspicious/noExplicitAny: the page query is built by the caller for any schema.
  db: Kysely<any>,
  options: SelectColumnsOptions<C>,
): Promise<Record<C, unknown[]>> {
  const names = Object.keys(options.columns) as C[];
  const pages = Object.fromEntries(names.map((c) => [c, [] as unknown[][]])) as Record<C, unknown[][]>;
  await forEachColumnPage(db, options, (page) => {
    for (const c of names) pages[c].push(page[c]);
  });
  const joined = (list: unknown[][]): unknown[] => {
    if (list.length === 1) return list[0]!;
    const all = new Array<unknown>(list.reduce((s, p) => s + p.length, 0));
    let k = 0;
    for (const p of list) for (let i = 0; i < p.length; i++) all[k++] = p[i];
    return all;
  };
  return Object.fromEntries(names.map((c) => [c, joined(pages[c])])) as Record<C, unknown[]>;
}

export type SelectColumnsOptions<C extends string> = {
  /** The select, without order or limit, keyset-paged on `orderBy` (only rows with orderBy > after). */
  // biome-ignore lint/suspicious/noExplicitAny: any select whose output has the named columns.
  page: (after: number) => SelectQueryBuilder<any, any, any>;
  columns: Readonly<Record<C, ColumnKind>>;
  orderBy: NoInfer<C>;
  pageSize?: number;
};

/**
 * A number column's value, or null when it holds anything else (SQLite columns may hold text; the
 * PostgreSQL columns are typed).
 */
// biome-ignore lint/suspicious/noExplicitAny: any schema.
export function numberOrNull(db: Kysely<any>, value: Expression<unknown>): RawBuilder<number | null> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return sql<number | null>`${value}`;
  return sql<number | null>`(case when typeof(${value}) in ('integer', 'real') then ${value} end)`;
}

/**
 * selectColumns one page at a time: `onPage` gets each page's columns (in key order) and may convert
 * them into typed arrays at once, so a million rows' JS values never live all at the same time.
 */
export async function forEachColumnPage<C extends string>(
  // biome-ignore lint/suspicious/noExplicitAny: the page query is built by the caller for any schema.
  db: Kysely<any>,
  options: SelectColumnsOptions<C>,
  onPage: (page: Record<C, unknown[]>, rows: number) => void,
): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  const names = Object.keys(options.columns) as C[];
  const pageSize = options.pageSize ?? 250_000;
  const key = sql.ref(`t.${options.orderBy}`);
  let after = Number.NEGATIVE_INFINITY;
  for (;;) {
    const aggregates = names.map((c) => {
      const col = sql.ref(`t.${c}`);
      if (!sqlite) return sql`json_agg(${col} order by ${key})`.as(c);
      // %!.17g round-trips a double; whole non-zero reals (scores, sizes, minutes) below 2^53 are written
      // as integers, three times cheaper and the same number (zero keeps its sign through printf). The
      // inner select is ordered, so each array is in key order.
      const value =
        options.columns[c] === 'real'
          ? sql`case when ${col} is null then null
              when ${col} <> 0 and abs(${col}) < 9007199254740992 and ${col} = cast(${col} as integer) then cast(${col} as integer)
              else json(printf('%!.17g', ${col})) end`
          : col;
      return sql`json_group_array(${value})`.as(c);
    });
    const bound = after === Number.NEGATIVE_INFINITY ? -(2 ** 53) : after;
    const select = options.page(bound).orderBy(options.orderBy).limit(pageSize);
    const query = sql<
      Record<C, unknown>
    >`select ${sql.join(aggregates)}, count(*) as "__rows" from ${select} as t`;
    const row = (await query.execute(db)).rows[0] as (Record<C, unknown> & { __rows: unknown }) | undefined;
    const rows = Number(row?.__rows ?? 0);
    if (!row || rows === 0) break;
    const page = {} as Record<C, unknown[]>;
    for (const c of names) {
      const v = row[c];
      page[c] = (typeof v === 'string' ? JSON.parse(v) : v) as unknown[];
    }
    const keys = page[options.orderBy];
    after = Number(keys[keys.length - 1]);
    onPage(page, rows);
    if (rows < pageSize) break;
  }
}

/**
 * Columns read page by page and converted as each page arrives (numbers to Float64Array with NaN for
 * null, integers that must not be null to Int32Array with 0 for null, text to dictionary codes), so a
 * million rows' driver values never live at once; joined when read. `add` is forEachColumnPage's onPage.
 */
export function typedColumnPages<C extends string>(
  kinds: Readonly<Record<C, ColumnKind>>,
  /** The dictionary code of a text value (-1 for null). */
  code: (s: string | null) => number,
) {
  const names = Object.keys(kinds) as C[];
  const pages = new Map<string, unknown[][] | Array<Float64Array | Int32Array>>();
  for (const c of names) pages.set(c, []);
  let rows = 0;
  const join = <T extends Float64Array | Int32Array>(list: T[], make: (n: number) => T): T => {
    if (list.length === 1) return list[0]!;
    const out = make(rows);
    let k = 0;
    for (const p of list) {
      out.set(p, k);
      k += p.length;
    }
    return out;
  };
  return {
    add: (page: Record<C, unknown[]>, count: number): void => {
      rows += count;
      for (const c of names) {
        const values = page[c];
        const list = pages.get(c) as Array<Float64Array | Int32Array>;
        if (kinds[c] === 'text') {
          const out = new Int32Array(values.length);
          for (let i = 0; i < values.length; i++) out[i] = code(values[i] as string | null);
          list.push(out);
        } else {
          const out = new Float64Array(values.length);
          for (let i = 0; i < values.length; i++) {
            const v = values[i];
            out[i] = v === null || v === undefined ? Number.NaN : Number(v);
          }
          list.push(out);
        }
      }
    },
    rows: (): number => rows,
    numbers: (c: C): Float64Array => join((pages.get(c) ?? []) as Float64Array[], (k) => new Float64Array(k)),
    codes: (c: C): Int32Array => join((pages.get(c) ?? []) as Int32Array[], (k) => new Int32Array(k)),
    /** A count column: null reads as 0. */
    counts: (c: C): Int32Array => {
      const x = join((pages.get(c) ?? []) as Float64Array[], (k) => new Float64Array(k));
      return Int32Array.from(x, (v) => (Number.isNaN(v) ? 0 : v));
    },
  };
}

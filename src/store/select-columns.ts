import { type Kysely, type SelectQueryBuilder, SqliteAdapter, sql } from 'kysely';

/**
 * How a column is read back: numbers (integers, and reals exactly) as doubles with NaN for null, text as
 * it is. On SQLite a number column holding anything but a number (text, a blob) reads as null.
 */
export type ColumnKind = 'int' | 'real' | 'text';

/**
 * One page of columns: number columns as doubles (NaN for null); text columns as strings or null, or
 * as dictionary codes (-1 for null) when the read is given a `code`.
 */
export type ColumnPage<C extends string> = Record<C, Float64Array | Int32Array | readonly unknown[]>;

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
  const pages = Object.fromEntries(names.map((c) => [c, [] as ArrayLike<unknown>[]])) as Record<
    C,
    ArrayLike<unknown>[]
  >;
  await forEachColumnPage(db, options, (page) => {
    for (const c of names) pages[c].push(page[c]);
  });
  const joined = (list: ArrayLike<unknown>[], numbers: boolean): unknown[] => {
    const all = new Array<unknown>(list.reduce((s, p) => s + p.length, 0));
    let k = 0;
    for (const p of list) {
      for (let i = 0; i < p.length; i++) {
        const v = p[i];
        all[k++] = numbers && Number.isNaN(v) ? null : v;
      }
    }
    return all;
  };
  return Object.fromEntries(names.map((c) => [c, joined(pages[c], options.columns[c] !== 'text')])) as Record<
    C,
    unknown[]
  >;
}

export type SelectColumnsOptions<C extends string> = {
  /** The select, without order or limit, keyset-paged on `orderBy` (only rows with orderBy > after). */
  // biome-ignore lint/suspicious/noExplicitAny: any select whose output has the named columns.
  page: (after: number) => SelectQueryBuilder<any, any, any>;
  columns: Readonly<Record<C, ColumnKind>>;
  orderBy: NoInfer<C>;
  pageSize?: number;
  /**
   * The dictionary code of a text value: text columns then come as codes (Int32Array, -1 for null).
   * On SQLite each distinct value is decoded once (the page's JSON is read as bytes, looked up by its
   * bytes), not once per row.
   */
  code?: (s: string) => number;
};

/**
 * selectColumns one page at a time: `onPage` gets each page's columns (in key order) and may convert
 * them at once, so a million rows' JS values never live all at the same time. On SQLite a page's
 * number column is one comma-separated text (group_concat, read as bytes) parsed straight into a
 * Float64Array: no JS value per row.
 */
export async function forEachColumnPage<C extends string>(
  // biome-ignore lint/suspicious/noExplicitAny: the page query is built by the caller for any schema.
  db: Kysely<any>,
  options: SelectColumnsOptions<C>,
  onPage: (page: ColumnPage<C>, rows: number) => void,
): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  const names = Object.keys(options.columns) as C[];
  const pageSize = options.pageSize ?? 250_000;
  const key = sql.ref(`t.${options.orderBy}`);
  let after = Number.NEGATIVE_INFINITY;
  const texts = options.code ? byteDictionary() : undefined;
  for (;;) {
    const aggregates = names.map((c) => {
      const col = sql.ref(`t.${c}`);
      if (!sqlite) return sql`json_agg(${col} order by ${key})`.as(c);
      if (options.columns[c] === 'text')
        return (
          options.code ? sql`cast(json_group_array(${col}) as blob)` : sql`json_group_array(${col})`
        ).as(c);
      // Integers as they are; %!.17g round-trips a double, and whole reals (scores, sizes, minutes)
      // that fit a 64-bit integer are written as that integer, three times cheaper and the same number
      // (SQLite keeps no negative zero); anything else (null, text, blobs) as an empty field. The inner
      // select is ordered, so the fields are in key order.
      const value = sql`case typeof(${col}) when 'integer' then ${col}
          when 'real' then case when ${col} = cast(${col} as integer) then cast(${col} as integer)
            else printf('%!.17g', ${col}) end
          else '' end`;
      return sql`cast(group_concat(${value}, ',') as blob)`.as(c);
    });
    const bound = after === Number.NEGATIVE_INFINITY ? -(2 ** 53) : after;
    const select = options.page(bound).orderBy(options.orderBy).limit(pageSize);
    const query = sql<
      Record<C, unknown>
    >`select ${sql.join(aggregates)}, count(*) as "__rows" from ${select} as t`;
    const row = (await query.execute(db)).rows[0] as (Record<C, unknown> & { __rows: unknown }) | undefined;
    const rows = Number(row?.__rows ?? 0);
    if (!row || rows === 0) break;
    const page = {} as ColumnPage<C>;
    for (const c of names) {
      const v = row[c];
      if (v instanceof Uint8Array)
        page[c] =
          options.columns[c] === 'text'
            ? jsonTextCodes(v, rows, texts!, options.code!)
            : parseNumberList(v, rows);
      // A page of one row whose number is null (an empty text) may come back as null.
      else if (sqlite && options.columns[c] !== 'text') page[c] = parseNumberList(new Uint8Array(0), rows);
      else {
        const values = (typeof v === 'string' ? JSON.parse(v) : v) as unknown[];
        if (options.columns[c] !== 'text') page[c] = numbersOf(values);
        else if (options.code) page[c] = codesOf(values, options.code);
        else page[c] = values;
      }
    }
    const keys = page[options.orderBy] as Float64Array;
    after = keys[keys.length - 1]!;
    onPage(page, rows);
    if (rows < pageSize) break;
  }
}

/** Driver values (numbers, numeric strings for PostgreSQL's bigint and numeric, null) as doubles. */
function numbersOf(values: readonly unknown[]): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = v === null || v === undefined ? Number.NaN : Number(v);
  }
  return out;
}

/** Driver values (strings, null) as dictionary codes, -1 for null. */
function codesOf(values: readonly unknown[], code: (s: string) => number): Int32Array {
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = v === null || v === undefined ? -1 : code(String(v));
  }
  return out;
}

/**
 * Byte strings → codes: FNV-1a over the bytes, open addressing. `find` gives the code of a byte string
 * already added, else -2; `add` files a new one with its code. Two byte strings that decode alike
 * may both be added (with the same code).
 */
export function byteDictionary() {
  let slots = new Int32Array(1024).fill(-1);
  const keys: Uint8Array[] = [];
  const hashes: number[] = [];
  const codes: number[] = [];
  let lastHash = 0;
  const place = (e: number) => {
    let slot = hashes[e]! & (slots.length - 1);
    while (slots[slot]! >= 0) slot = (slot + 1) & (slots.length - 1);
    slots[slot] = e;
  };
  return {
    /** `hash`: fnv1a of the bytes, when the caller has it. */
    find(bytes: Uint8Array, start: number, end: number, hash = fnv1a(bytes, start, end)): number {
      const h = hash;
      lastHash = h;
      const mask = slots.length - 1;
      for (let slot = h & mask; ; slot = (slot + 1) & mask) {
        const e = slots[slot]!;
        if (e < 0) return -2;
        const key = keys[e]!;
        if (hashes[e] !== h || key.length !== end - start) continue;
        let i = 0;
        while (i < key.length && key[i] === bytes[start + i]) i++;
        if (i === key.length) return codes[e]!;
      }
    },
    /** Files the byte string `find` last missed. */
    add(bytes: Uint8Array, start: number, end: number, code: number): void {
      keys.push(Uint8Array.prototype.slice.call(bytes, start, end));
      hashes.push(lastHash);
      codes.push(code);
      if (keys.length * 2 > slots.length) {
        slots = new Int32Array(slots.length * 2).fill(-1);
        for (let e = 0; e < keys.length; e++) place(e);
      } else place(keys.length - 1);
    },
  };
}

/** 32-bit FNV-1a of bytes[start, end). */
export function fnv1a(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h;
}

const QUOTE = 34;
const BACKSLASH = 92;
const utf8 = new TextDecoder();

/**
 * A JSON array of `rows` strings and nulls (SQLite's json_group_array, as bytes) into dictionary codes,
 * -1 for null: each string is looked up by its bytes and decoded only when first seen. Other scalars
 * (a number in a text column) are coded as their text.
 */
export function jsonTextCodes(
  bytes: Uint8Array,
  rows: number,
  dictionary: ReturnType<typeof byteDictionary>,
  code: (s: string) => number,
): Int32Array {
  const out = new Int32Array(rows);
  const end = bytes.length;
  let k = 0;
  let i = 1; // after '['
  const token = (from: number, to: number) => JSON.parse(utf8.decode(bytes.subarray(from, to))) as unknown;
  while (i < end) {
    const b = bytes[i]!;
    if (b === QUOTE) {
      // Scan to the closing quote and hash on the way (fnv1a of the same bytes).
      const start = i + 1;
      let j = start;
      let h = 0x811c9dc5;
      while (j < end) {
        const x = bytes[j]!;
        if (x === QUOTE) break;
        h = Math.imul(h ^ x, 0x01000193);
        if (x === BACKSLASH && j + 1 < end) {
          h = Math.imul(h ^ bytes[j + 1]!, 0x01000193);
          j += 2;
        } else j++;
      }
      let c = dictionary.find(bytes, start, j, h);
      if (c === -2) {
        c = code(token(start - 1, j + 1) as string);
        dictionary.add(bytes, start, j, c);
      }
      if (k < rows) out[k] = c;
      k++;
      i = j + 1;
    } else if (b === 110 && bytes[i + 1] === 117 && bytes[i + 2] === 108 && bytes[i + 3] === 108) {
      if (k < rows) out[k] = -1; // null
      k++;
      i += 4;
    } else if (b === 44 || b === 93 || b === 32) {
      i++; // ',' ']' ' '
    } else {
      let j = i;
      while (j < end && bytes[j] !== 44 && bytes[j] !== 93) j++;
      const v = token(i, j);
      if (k < rows) out[k] = v === null ? -1 : code(String(v));
      k++;
      i = j;
    }
  }
  if (k !== rows) throw new Error(`expected ${rows} texts in a column page, read ${k}`);
  return out;
}

const COMMA = 44;
const MINUS = 45;
const ZERO = 48;

/**
 * `rows` comma-separated numbers (ASCII bytes; an empty field is null) into doubles, NaN for null. Up
 * to 15 digits are summed in place (exact below 2^53); anything longer, fractional or with an exponent
 * goes through Number, which reads %!.17g back to the same double.
 */
export function parseNumberList(bytes: Uint8Array, rows: number): Float64Array {
  const out = new Float64Array(rows);
  const end = bytes.length;
  let k = 0;
  let i = 0;
  for (;;) {
    const start = i;
    let negative = false;
    if (i < end && bytes[i] === MINUS) {
      negative = true;
      i++;
    }
    const digitsFrom = i;
    let v = 0;
    while (i < end) {
      const digit = bytes[i]! - ZERO;
      if (digit < 0 || digit > 9) break;
      v = v * 10 + digit;
      i++;
    }
    if (i < end && bytes[i] !== COMMA) {
      while (i < end && bytes[i] !== COMMA) i++;
      v = Number(String.fromCharCode(...bytes.subarray(start, i)));
    } else if (i === start) v = Number.NaN;
    else if (i - digitsFrom > 15 || i === digitsFrom)
      v = Number(String.fromCharCode(...bytes.subarray(start, i)));
    else if (negative) v = -v;
    if (k < rows) out[k] = v;
    k++;
    if (i >= end) break;
    i++;
  }
  if (k !== rows) throw new Error(`expected ${rows} numbers in a column page, read ${k}`);
  return out;
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
    add: (page: ColumnPage<C>, count: number): void => {
      rows += count;
      for (const c of names) {
        const values = page[c];
        const list = pages.get(c) as Array<Float64Array | Int32Array>;
        if (values instanceof Float64Array || values instanceof Int32Array) {
          list.push(values);
        } else {
          const out = new Int32Array(values.length);
          for (let i = 0; i < values.length; i++) out[i] = code(values[i] as string | null);
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

import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { BulkValue } from './bulk-insert.ts';

// PostgreSQL's COPY FROM STDIN in text format: the server parses rows about three times faster than
// it runs an INSERT … SELECT over unnest arrays (bench/import.bench.ts). COPY has no ON CONFLICT and
// no RETURNING, so callers use it only for rows they know are new (looked up in the same
// transaction) and whose ids they do not need; a row that appeared meanwhile fails the whole COPY.

const quote = (name: string) => `"${name}"`;

/** Bulk-loads rows (row-major `values`) into a table: copyRows bound to a session's client. */
export type CopyInto = (input: {
  table: string;
  columns: readonly string[];
  values: readonly BulkValue[];
}) => Promise<unknown>;

// Text format: backslash, tab, newline and carriage return are escaped; NULL is \N.
const SPECIAL = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One field of a COPY text row. */
export function copyField(value: BulkValue): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') return String(value);
  return SPECIAL.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c] as string) : value;
}

/**
 * Bytes per write to the COPY stream. Small enough that the server parses and stores the first rows
 * of a batch while the rest are still being laid out here; each write goes to the socket at once.
 */
const WRITE_BYTES = 64 * 1024;

/**
 * Streams rows (row-major `values`, `columns` order) into `table` with COPY FROM STDIN on `client`,
 * inside whatever transaction the client has open. Resolves once the server has taken every row.
 */
export async function copyRows(
  client: PoolClient,
  input: { table: string; columns: readonly string[]; values: readonly BulkValue[] },
): Promise<number> {
  const { table, columns, values } = input;
  const width = columns.length;
  if (values.length === 0) return 0;
  if (values.length % width !== 0)
    throw new Error(`copyRows into ${table}: ${values.length} values for ${width} columns`);
  const stream = client.query(copyFrom(`copy ${quote(table)} (${columns.map(quote).join(',')}) from stdin`));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  // Each row is joined into one flat string and encoded straight into the write buffer: no text of
  // the whole batch is built (concatenating fields made a rope of millions of pieces to collect).
  const fields: string[] = new Array(width);
  let buffer = Buffer.allocUnsafe(WRITE_BYTES);
  let at = 0;
  for (let i = 0; i < values.length; i += width) {
    for (let c = 0; c < width; c++) fields[c] = copyField(values[i + c] ?? null);
    const line = fields.join('\t');
    // A UTF-16 unit takes at most 3 bytes in UTF-8; +1 for the newline.
    const most = line.length * 3 + 1;
    if (at + most > buffer.length) {
      if (at > 0) stream.write(buffer.subarray(0, at));
      buffer = Buffer.allocUnsafe(Math.max(WRITE_BYTES, most));
      at = 0;
    }
    at += buffer.write(line, at);
    buffer[at++] = 0x0a;
  }
  stream.end(buffer.subarray(0, at));
  await done;
  return values.length / width;
}

import type { FieldValue } from './compile-mapping.ts';
import type { BatchRecord } from './read-batches.ts';

// A batch of mapped records packed for postMessage from the read worker: every text cell goes into
// one string and the rest into typed arrays, so the structured clone copies a few buffers instead of
// walking thousands of small objects and strings (which cost more than mapping the rows did). The
// writer cuts the cells back out with slice, which shares the big string's memory.

/** The record mappings' field lists and insert-only sets: sent once, referenced by index. */
export type RecordShapes = {
  fields: ReadonlyArray<readonly string[]>;
  insertOnly: ReadonlyArray<ReadonlySet<string>>;
};

export type PackedBatch = {
  count: number;
  /** Per record: line, record mapping, bytes read, row number. */
  meta: Float64Array<ArrayBuffer>;
  /** Per cell (each record's cells, then its extra): see the TAG_ constants. */
  tags: Uint8Array<ArrayBuffer>;
  /** Per cell: the number, or where its text ends in `text`. */
  values: Float64Array<ArrayBuffer>;
  text: string;
};

const TAG_NULL = 0;
const TAG_TEXT = 1;
const TAG_NUMBER = 2;
/** A list of values (e-mail addresses, phones), as JSON text. */
const TAG_LIST = 3;

/** Packs records whose mapping is `mappingOf(record)` (an index into the shapes). */
export function packBatch(
  records: readonly BatchRecord[],
  mappingOf: (r: BatchRecord) => number,
): PackedBatch {
  let cells = 0;
  for (const r of records) cells += r.cells.length + 1;
  const meta = new Float64Array(records.length * 4);
  const tags = new Uint8Array(cells);
  const values = new Float64Array(cells);
  let text = '';
  let at = 0;
  const put = (value: FieldValue | undefined) => {
    if (value === null || value === undefined) tags[at] = TAG_NULL;
    else if (typeof value === 'number') {
      tags[at] = TAG_NUMBER;
      values[at] = value;
    } else {
      tags[at] = typeof value === 'string' ? TAG_TEXT : TAG_LIST;
      text += typeof value === 'string' ? value : JSON.stringify(value);
      values[at] = text.length;
    }
    at++;
  };
  for (let i = 0; i < records.length; i++) {
    const r = records[i] as BatchRecord;
    meta[i * 4] = r.line;
    meta[i * 4 + 1] = mappingOf(r);
    meta[i * 4 + 2] = r.bytes;
    meta[i * 4 + 3] = r.row;
    for (let c = 0; c < r.cells.length; c++) put(r.cells[c]);
    put(r.extra);
  }
  return { count: records.length, meta, tags, values, text };
}

/** The records of a packed batch. */
export function unpackBatch(packed: PackedBatch, shapes: RecordShapes): BatchRecord[] {
  const { meta, tags, values, text } = packed;
  const out: BatchRecord[] = new Array(packed.count);
  let at = 0;
  let end = 0; // where the previous text cell ended
  const take = (): FieldValue => {
    const tag = tags[at] as number;
    const value = values[at] as number;
    at++;
    if (tag === TAG_NULL) return null;
    if (tag === TAG_NUMBER) return value;
    const s = text.slice(end, value);
    end = value;
    return tag === TAG_TEXT ? s : (JSON.parse(s) as string[]);
  };
  for (let i = 0; i < packed.count; i++) {
    const mapping = meta[i * 4 + 1] as number;
    const fields = shapes.fields[mapping] as readonly string[];
    const cells: FieldValue[] = new Array(fields.length);
    for (let c = 0; c < fields.length; c++) cells[c] = take();
    const extra = take() as string | null;
    out[i] = {
      line: meta[i * 4] as number,
      fields,
      cells,
      extra,
      insertOnly: shapes.insertOnly[mapping] as ReadonlySet<string>,
      bytes: meta[i * 4 + 2] as number,
      row: meta[i * 4 + 3] as number,
    };
  }
  return out;
}

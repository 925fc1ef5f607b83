import { createReadStream } from 'node:fs';
import { AppError } from '../errors/app-error.ts';
import type { RecordShapes } from './batch-transport.ts';
import { compileMapping, type FieldValue } from './compile-mapping.ts';
import { type CsvError, readCsvChunks } from './csv-reader.ts';
import { type ImportKind, keyField } from './entities.ts';
import type { MappingFile } from './mapping.schema.ts';
import { describeNoMatch, detectPreset, loadPresets, presetByName } from './presets.ts';
import { fieldValue, type PendingRecord, type RowReject } from './write-batch.ts';

// The reading half of an import: CSV records → the mapping chosen from the header → mapped records
// in batches, with the rows rejected on the way. No store access, so it runs in this thread or in a
// worker thread (read-worker.ts) alike; import-file.ts writes what it yields.

export type ReadOptions = {
  kind: ImportKind;
  file: string;
  /** A preset name, or 'auto' (default) to recognise it from the header. */
  preset?: string;
  /** A validated mapping file; wins over `preset`. */
  mapping?: MappingFile;
  /** Zone for zone-less dates; overrides the mapping's. */
  timeZone?: string;
  defaultTimeZone?: string;
  batchSize: number;
};

/** A record in a batch, with how far into the file it was read (for progress). */
export type BatchRecord = PendingRecord & { bytes: number; row: number };

/** A rejected row and its cells (when it had any) for the rejects file. */
export type ReadReject = { reject: RowReject; raw?: readonly string[] };

/** Running totals of the rows read, carried by every batch and the end. */
export type ReadCounts = {
  /** Data rows read (not the header). */
  read: number;
  /** Rows a preset deliberately skips. */
  skipped: number;
  /** Records repeated identically with the same key in one batch (unchanged). */
  repeats: number;
  /** Bytes of the file the reader has consumed. */
  bytes: number;
};

export type ReadEvent =
  | {
      type: 'header';
      header: string[];
      mapping: MappingFile;
      how: 'named' | 'detected' | 'mapping-file';
      /** The record mappings' field lists and insert-only fields, shared by the batches' records. */
      shapes: RecordShapes;
    }
  | ({
      type: 'batch';
      records: BatchRecord[];
      /** Rejected since the previous event, before any record of this batch is written. */
      rejects: ReadReject[];
      /** Each record's CSV cells by line, for kinds whose rows can still be rejected at write time. */
      raw: Array<[number, readonly string[]]>;
    } & ReadCounts)
  | ({ type: 'end'; rejects: ReadReject[] } & ReadCounts);

/** Whether a kind's rows can be rejected when written (a lead reference), so their raw cells are kept. */
const keepsRaw = (kind: ImportKind): boolean => kind === 'opportunities' || kind === 'lead-events';

/**
 * Reads `file` and yields its header, its mapped records in batches of at most `batchSize`, and the
 * end. A key seen twice in one batch: an identical repeat is counted, a different record starts a
 * new batch (the first is written before the second is compared). Throws before any batch when the
 * header has no mapping or lacks a required column.
 */
export async function* readBatches(options: ReadOptions): AsyncGenerator<ReadEvent> {
  const { kind, file, batchSize } = options;
  const input = createReadStream(file, { highWaterMark: 1 << 16 });
  const key = keyField(kind);
  const keepRaw = keepsRaw(kind);
  const counts: ReadCounts = { read: 0, skipped: 0, repeats: 0, bytes: 0 };
  let header: string[] | null = null;
  let compiled: ReturnType<typeof compileMapping> | null = null;
  let insertOnly: ReadonlyArray<ReadonlySet<string>> = [];
  let keyCell: number[] = [];
  let rejects: ReadReject[] = [];
  let batch: BatchRecord[] = [];
  let batchKeys = new Map<string, BatchRecord>();
  let raw: Array<[number, readonly string[]]> = [];
  const cut = (): ReadEvent => {
    const event: ReadEvent = { type: 'batch', records: batch, rejects, raw, ...counts };
    batch = [];
    batchKeys = new Map();
    rejects = [];
    raw = [];
    return event;
  };
  try {
    for await (const chunk of readCsvChunks(input)) {
      let e = 0;
      for (let r = 0; r < chunk.records.length; r++) {
        for (; e < chunk.errors.length && (chunk.errors[e]?.before ?? 0) <= r; e++) {
          const bad = chunk.errors[e] as CsvError;
          rejects.push({ reject: { line: bad.line, field: '(row)', reason: bad.reason } });
        }
        const record = chunk.records[r] as string[];
        const line = chunk.lines[r] as number;
        counts.bytes = chunk.bytes[r] as number;
        if (header === null) {
          header = record.map((h) => h.trim());
          const chosen = chooseMapping({ ...options, header });
          compiled = compileMapping({
            mapping: chosen.mapping,
            kind,
            header,
            timeZone: options.timeZone ?? chosen.mapping.timeZone ?? options.defaultTimeZone ?? 'UTC',
            file,
          });
          insertOnly = compiled.insertOnly;
          keyCell = compiled.recordFields.map((fields) => fields.indexOf(key));
          yield {
            type: 'header',
            header,
            mapping: chosen.mapping,
            how: chosen.how,
            shapes: { fields: compiled.recordFields, insertOnly },
          };
          continue;
        }
        if (!compiled) continue;
        counts.read += 1;
        const result = compiled.mapCells(record);
        if (!result.ok) {
          rejects.push({ reject: { line, ...result.problem }, raw: record });
          continue;
        }
        if (result.records.length === 0) {
          counts.skipped += 1;
          continue;
        }
        for (let i = 0; i < result.records.length; i++) {
          const rec = result.records[i] as (typeof result.records)[number];
          const pending: BatchRecord = {
            bytes: counts.bytes,
            row: counts.read,
            line,
            fields: compiled.recordFields[rec.mapping] as readonly string[],
            cells: rec.cells,
            extra: rec.extra,
            insertOnly: insertOnly[rec.mapping] ?? new Set(),
          };
          const k = String(rec.cells[keyCell[rec.mapping] as number]);
          const earlier = batchKeys.get(k);
          if (earlier) {
            // The same key twice in one batch: an identical repeat is unchanged; otherwise write the
            // first before comparing the second.
            if (sameRecord(earlier, pending)) {
              counts.repeats += 1;
              continue;
            }
            yield cut();
          }
          batch.push(pending);
          batchKeys.set(k, pending);
          if (keepRaw) raw.push([line, record]);
        }
        if (batch.length >= batchSize) yield cut();
      }
      for (const bad of chunk.errors.slice(e))
        rejects.push({ reject: { line: bad.line, field: '(row)', reason: bad.reason } });
    }
    if (header === null) throw new AppError('bad_input', `${file} is empty (no header row)`);
    if (batch.length > 0) yield cut();
    yield { type: 'end', rejects, ...counts };
  } finally {
    input.destroy();
  }
}

function sameRecord(a: PendingRecord, b: PendingRecord): boolean {
  if (a.extra !== b.extra) return false;
  const fields = a.fields === b.fields ? a.fields : [...new Set([...a.fields, ...b.fields])];
  for (let i = 0; i < fields.length; i++) {
    const k = fields[i] as string;
    if (a.insertOnly.has(k) || b.insertOnly.has(k)) continue;
    const x: FieldValue | undefined = a.fields === b.fields ? a.cells[i] : fieldValue(a, k);
    const y: FieldValue | undefined = a.fields === b.fields ? b.cells[i] : fieldValue(b, k);
    if (JSON.stringify(x ?? null) !== JSON.stringify(y ?? null)) return false;
  }
  return true;
}

function chooseMapping(options: ReadOptions & { header: string[] }): {
  mapping: MappingFile;
  how: 'named' | 'detected' | 'mapping-file';
} {
  if (options.mapping) return { mapping: options.mapping, how: 'mapping-file' };
  const presets = loadPresets();
  const name = options.preset ?? 'auto';
  if (name !== 'auto') return { mapping: presetByName(name, presets), how: 'named' };
  const detection = detectPreset({ header: options.header, kind: options.kind, presets });
  if (!detection.ok) {
    throw new AppError('bad_input', describeNoMatch(detection, options.kind), {
      location: { file: options.file, line: 1 },
    });
  }
  return { mapping: detection.preset, how: 'detected' };
}

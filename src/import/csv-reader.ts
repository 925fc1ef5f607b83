import { Readable } from 'node:stream';
import { type Info, type Options, parse } from 'csv-parse';

// Reads CSV records for imports with csv-parse, handing them over a chunk at a time so the caller
// pays one await per chunk rather than per row. Delimiter ',' and quote '"' ("" inside quotes);
// line ends \n, \r\n or \r; a leading BOM is dropped; empty lines are skipped; rows may have any
// number of fields (the mapping checks the width). A quote inside an unquoted field is kept as
// text (`5" screen`, as sloppy CRM exports write it); a quoted field that is never closed is
// reported with the lines it swallowed.

export type CsvError = {
  /** The line the bad record starts on (1-based). */
  line: number;
  reason: string;
  /** How many good records of the chunk come before it. */
  before: number;
};

export type CsvChunk = {
  records: string[][];
  /** Line each record starts on (1-based). */
  lines: number[];
  /** Bytes of the file read up to the end of each record. */
  bytes: number[];
  errors: CsvError[];
};

type ParseError = Error & { code?: string; lines?: number; records?: number };

/** How imports call csv-parse (the bench's parse-only baseline uses the same). */
export const csvParseOptions: Options = {
  bom: true,
  relax_column_count: true,
  relax_quotes: true,
  record_delimiter: ['\r\n', '\n', '\r'],
  skip_empty_lines: true,
  skip_records_with_error: true,
  info: true,
};

const emptyChunk = (): CsvChunk => ({ records: [], lines: [], bytes: [], errors: [] });

/** Reads CSV records from a byte stream (e.g. `createReadStream(file)`), `chunkSize` records at a time. */
export async function* readCsvChunks(
  input: AsyncIterable<Buffer | string>,
  chunkSize = 2000,
): AsyncGenerator<CsvChunk> {
  const parser = parse(csvParseOptions);
  // Errors surface while csv-parse reads ahead; each waits until the records before it are handed on.
  const pending: Array<{ afterRecords: number; error: ParseError }> = [];
  parser.on('skip', (error: ParseError) => {
    pending.push({ afterRecords: error.records ?? 0, error });
  });
  const source = input instanceof Readable ? input : Readable.from(input);
  source.on('error', (error) => parser.destroy(error));
  source.pipe(parser);

  let chunk = emptyChunk();
  let lastEnd = 0;
  let lastEmpty = 0;
  const flushErrors = (upTo: number) => {
    while (pending.length > 0 && (pending[0]?.afterRecords ?? 0) < upTo) {
      const { error } = pending.shift() as (typeof pending)[number];
      chunk.errors.push({ ...describe(error, lastEnd), before: chunk.records.length });
    }
  };
  let ended = false;
  let failed: Error | null = null;
  parser.on('end', () => {
    ended = true;
  });
  parser.on('error', (error: Error) => {
    failed = error;
  });
  // Drain what csv-parse has buffered synchronously; wait only when it has nothing (one await per
  // buffer-full, not per record as an async iterator would).
  while (true) {
    for (;;) {
      const item = parser.read() as { record: string[]; info: Info } | null;
      if (item === null) break;
      const { record, info } = item;
      flushErrors(info.records);
      // csv-parse counts the line a record ends on; it starts after the previous one and any empty lines.
      const start = lastEnd + 1 + (info.empty_lines - lastEmpty);
      lastEnd = info.lines;
      lastEmpty = info.empty_lines;
      chunk.records.push(record);
      chunk.lines.push(Math.min(start, info.lines));
      chunk.bytes.push(info.bytes);
      if (chunk.records.length >= chunkSize) {
        yield chunk;
        chunk = emptyChunk();
      }
    }
    if (failed) throw failed;
    if (ended) break;
    await new Promise<void>((resolve) => {
      const done = () => {
        parser.off('readable', done);
        parser.off('end', done);
        parser.off('error', done);
        resolve();
      };
      parser.on('readable', done);
      parser.on('end', done);
      parser.on('error', done);
    });
  }
  flushErrors(Number.POSITIVE_INFINITY);
  if (chunk.records.length > 0 || chunk.errors.length > 0) yield chunk;
}

function describe(error: ParseError, lastGoodLine: number): { line: number; reason: string } {
  const line = lastGoodLine + 1;
  if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
    const last = error.lines ?? line;
    return {
      line,
      reason: `Quote Not Closed: a quoted field that starts on line ${line} is never closed, so lines ${line}–${last} (to the end of the file) could not be read; close the quote and import again`,
    };
  }
  return { line: error.lines ?? line, reason: error.message };
}

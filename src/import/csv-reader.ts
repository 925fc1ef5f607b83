import { Readable } from 'node:stream';
import { type Info, type Options, parse } from 'csv-parse';
import Papa from 'papaparse';

// Reads CSV records for imports, handing them over a chunk at a time so the caller pays one await
// per chunk rather than per row. Delimiter ',' and quote '"' ("" inside quotes); line ends \n, \r\n
// or \r; a leading BOM is dropped; empty lines are skipped; rows may have any number of fields (the
// mapping checks the width). A quote inside an unquoted field is kept as text (`5" screen`, as
// sloppy CRM exports write it); a quoted field that is never closed is reported with the lines it
// swallowed.
//
// Two parsers, one behaviour. Papa Parse reads well-formed files about five times faster than
// csv-parse, but it takes one line-end style per file and reads malformed quoting its own way. So
// each piece of text is screened first (line ends other than the file's; a closing quote followed
// by blanks), and Papa's own quote errors are checked after it parsed the piece; at the first sign
// of either, the rest of the file from the first record not yet handed over goes to csv-parse with
// the options below, which decide what such input means (as they did before Papa).

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
  /** Bytes of the file read when the record was complete (at most one read-ahead piece past its end). */
  bytes: number[];
  errors: CsvError[];
};

type ParseError = Error & { code?: string; lines?: number; records?: number; empty_lines?: number };

/** How the reader calls csv-parse for malformed input (the bench also times csv-parse alone with these). */
export const csvParseOptions: Options = {
  bom: true,
  relax_column_count: true,
  relax_quotes: true,
  record_delimiter: ['\r\n', '\n', '\r'],
  skip_empty_lines: true,
  skip_records_with_error: true,
  info: true,
};

/** How the reader calls Papa Parse (the bench times Papa alone with these). */
export const papaOptions = { delimiter: ',', quoteChar: '"', escapeChar: '"', header: false } as const;

type Newline = '\n' | '\r\n' | '\r';

// Input Papa would read differently from csv-parse: a line end of another style than the file's
// (csv-parse takes all three anywhere), or a quote followed by blanks up to a comma or line end
// (Papa drops the blanks and closes the field; csv-parse keeps the text as it is).
const irregular: Record<Newline, RegExp> = {
  '\n': /\r|"[^\S\n]+[,\n]/,
  '\r': /\n|"[^\S\r]+[,\r]/,
  '\r\n': /\r(?!\n)|(?<!\r)\n|"[^\S\r\n]+(?:,|\r\n)/,
};

// A record is never this long in a CRM export; text that has grown so far without a complete record
// is an unclosed quote, which csv-parse reads in one pass (Papa would read it again for every piece).
const MAX_PENDING_CHARS = 1 << 20;

const emptyChunk = (): CsvChunk => ({ records: [], lines: [], bytes: [], errors: [] });

// Papa's low-level parser returns the rows of the text and where the last complete one ended; with
// `step` it hands over one row at a time, with where it ended.
type PapaResult = { data: string[][]; errors: unknown[]; meta: { cursor: number } };
type PapaStep = PapaResult;

const isEmptyRow = (row: string[]): boolean => row.length === 1 && row[0] === '';

/** Reads CSV records from a byte stream (e.g. `createReadStream(file)`), `chunkSize` records at a time. */
export async function* readCsvChunks(
  input: AsyncIterable<Buffer | string>,
  chunkSize = 2000,
): AsyncGenerator<CsvChunk> {
  const pieces = input[Symbol.asyncIterator]();
  const decoder = new TextDecoder('utf-8'); // drops a leading BOM, like csv-parse's `bom`
  let bytesRead = 0;
  let first = true;
  const nextText = async (): Promise<string | null> => {
    const next = await pieces.next();
    if (next.done) return null;
    const piece = next.value;
    let text: string;
    if (typeof piece === 'string') {
      bytesRead += Buffer.byteLength(piece);
      text = first && piece.startsWith('\ufeff') ? piece.slice(1) : piece;
    } else {
      bytesRead += piece.length;
      text = decoder.decode(piece, { stream: true });
    }
    first = false;
    return text;
  };

  let chunk = emptyChunk();
  // Rows of the current piece: handed over only once Papa read the whole piece without a complaint.
  let rows: string[][] = [];
  let ends: number[] = [];
  const step = (result: PapaStep) => {
    rows.push(result.data[0] ?? []);
    ends.push(result.meta.cursor);
  };
  // Most pieces: one record per line, no empty line; read without a call per row (`rows`), checked
  // by counting line ends. Otherwise again row by row (`stepper`), which knows where each one ends.
  let parser: Papa.Parser | null = null;
  let stepper: Papa.Parser | null = null;

  let pending = ''; // text after the last record handed over
  let line = 1; // the line `pending` starts on
  let newline: Newline | null = null;
  let done = false;
  let malformed = false;
  while (!done) {
    const text = await nextText();
    if (text === null) {
      pending += decoder.decode();
      done = true;
    } else pending += text;
    // A \r at the end may be half of a \r\n: keep it back until the next piece.
    let held = '';
    if (!done && pending.endsWith('\r')) {
      held = '\r';
      pending = pending.slice(0, -1);
    }
    newline ??= lineEnd(pending);
    if (newline === null && !done) {
      pending += held;
      continue;
    }
    const nl: Newline = newline ?? '\n';
    if (irregular[nl].test(pending) || pending.length > MAX_PENDING_CHARS) {
      malformed = true;
      pending += held;
      break;
    }
    parser ??= new Papa.Parser({ ...papaOptions, newline: nl });
    const result = parser.parse(pending, 0, !done) as PapaResult;
    if (result.errors.length > 0) {
      malformed = true;
      pending += held;
      break;
    }
    const cursor = result.meta.cursor;
    if (!done && count(pending, nl, 0, cursor) === result.data.length && !result.data.some(isEmptyRow)) {
      for (const record of result.data) {
        chunk.records.push(record);
        chunk.lines.push(line++);
        chunk.bytes.push(bytesRead);
        if (chunk.records.length >= chunkSize) {
          yield chunk;
          chunk = emptyChunk();
        }
      }
      pending = pending.slice(cursor) + held;
      continue;
    }
    stepper ??= new Papa.Parser({ ...papaOptions, newline: nl, step });
    rows = [];
    ends = [];
    stepper.parse(pending, 0, !done);
    let start = 0;
    for (let r = 0; r < rows.length; r++) {
      const end = ends[r] as number;
      const record = rows[r] as string[];
      // Papa gives an empty line as [''] (so does `""`, which csv-parse keeps).
      if (record.length !== 1 || record[0] !== '' || !isBlank(pending, nl, start, end)) {
        chunk.records.push(record);
        chunk.lines.push(line);
        chunk.bytes.push(bytesRead);
      }
      const breaks = count(pending, nl, start, end);
      // csv-parse counts a \r\n inside quotes as two lines (one after the record): so does this.
      line += nl === '\r\n' && breaks > 1 ? 2 * breaks - (pending.startsWith(nl, end - 2) ? 1 : 0) : breaks;
      start = end;
      if (chunk.records.length >= chunkSize) {
        yield chunk;
        chunk = emptyChunk();
      }
    }
    pending = pending.slice(start) + held;
  }

  if (malformed) {
    // The rest of the file, from the first record not handed over, goes to csv-parse.
    const rest = async function* () {
      yield pending;
      for (let text = await nextText(); text !== null; text = await nextText()) yield text;
      const tail = decoder.decode();
      if (tail) yield tail;
    };
    yield* readWithCsvParse({
      input: Readable.from(rest()),
      chunk,
      chunkSize,
      lineBase: line - 1,
      bytesRead: () => bytesRead,
      bom: false, // dropped already
    });
    return;
  }
  if (chunk.records.length > 0) yield chunk;
}

/** The reference reader: csv-parse for the whole input (`readCsvChunks` is tested against it). */
export function readCsvChunksWithCsvParse(
  input: AsyncIterable<Buffer | string>,
  chunkSize = 2000,
): AsyncGenerator<CsvChunk> {
  let bytes = 0;
  const counted = async function* () {
    for await (const piece of input) {
      bytes += typeof piece === 'string' ? Buffer.byteLength(piece) : piece.length;
      yield piece;
    }
  };
  return readWithCsvParse({
    input: Readable.from(counted()),
    chunk: emptyChunk(),
    chunkSize,
    lineBase: 0,
    bytesRead: () => bytes,
    bom: true,
  });
}

/** The first line end in `text`, or null when it has none yet. */
function lineEnd(text: string): Newline | null {
  const n = text.indexOf('\n');
  const r = text.indexOf('\r');
  if (r === -1) return n === -1 ? null : '\n';
  if (n === -1 || r < n - 1) return '\r';
  return r === n - 1 ? '\r\n' : '\n';
}

/** Whether text[from, to) is an empty line (nothing but its line end, if it has one). */
function isBlank(text: string, nl: string, from: number, to: number): boolean {
  return to === from || (to - from === nl.length && text.startsWith(nl, from));
}

/** How many times `nl` occurs in text[from, to). */
function count(text: string, nl: string, from: number, to: number): number {
  let n = 0;
  for (let at = text.indexOf(nl, from); at !== -1 && at < to; at = text.indexOf(nl, at + nl.length)) n++;
  return n;
}

/**
 * csv-parse over `input`, adding to `chunk` and yielding each full chunk (and the last one). Lines
 * are counted from `lineBase`; bytes are the reader's count of bytes read.
 */
async function* readWithCsvParse(options: {
  input: Readable;
  chunk: CsvChunk;
  chunkSize: number;
  lineBase: number;
  bytesRead: () => number;
  bom: boolean;
}): AsyncGenerator<CsvChunk> {
  const { input, chunkSize, lineBase, bytesRead } = options;
  const parser = parse({ ...csvParseOptions, bom: options.bom });
  // Errors surface while csv-parse reads ahead; each waits until the records before it are handed on.
  const pending: Array<{ afterRecords: number; error: ParseError }> = [];
  parser.on('skip', (error: ParseError) => {
    pending.push({ afterRecords: error.records ?? 0, error });
  });
  input.on('error', (error) => parser.destroy(error));
  input.pipe(parser);

  let chunk = options.chunk;
  let lastEnd = 0;
  let lastEmpty = 0;
  const flushErrors = (upTo: number) => {
    while (pending.length > 0 && (pending[0]?.afterRecords ?? 0) < upTo) {
      const { error } = pending.shift() as (typeof pending)[number];
      // The bad record starts after the last good one and the empty lines since.
      const start = lineBase + lastEnd + 1 + (error.empty_lines ?? lastEmpty) - lastEmpty;
      chunk.errors.push({ ...describe(error, start, lineBase), before: chunk.records.length });
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
      chunk.lines.push(lineBase + Math.min(start, info.lines));
      chunk.bytes.push(bytesRead());
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

function describe(error: ParseError, line: number, lineBase: number): { line: number; reason: string } {
  if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
    const last = error.lines === undefined ? line : lineBase + error.lines;
    return {
      line,
      reason: `Quote Not Closed: a quoted field that starts on line ${line} is never closed, so lines ${line}–${last} (to the end of the file) could not be read; close the quote and import again`,
    };
  }
  return { line: error.lines === undefined ? line : lineBase + error.lines, reason: error.message };
}

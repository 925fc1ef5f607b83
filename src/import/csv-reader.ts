import { StringDecoder } from 'node:string_decoder';

// A streaming RFC 4180 reader for imports. csv-parse costs ~9 CPU s per million 15-column rows,
// about as much as the whole rest of an import; this one splits a line with no quote in it with
// String#split and walks only quoted lines character by character (~1 s per million rows).
// Records come a chunk at a time, so the caller pays one await per chunk, not per row.
// Delimiter ',' and quote '"' ("" inside quotes); line ends \n, \r\n or \r alone (detected from
// the first line end, as csv-parse does); a leading BOM is dropped; empty lines are skipped; rows may
// have any number of fields (the mapping checks the width). A malformed row is reported with its
// line and skipped; reading goes on at the next line.

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
  /** Bytes of the file read up to the end of each record (exact for ASCII, else close). */
  bytes: number[];
  errors: CsvError[];
};

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

type State = { line: number };

/** Reads CSV records from a byte stream (e.g. `createReadStream(file)`). */
export async function* readCsvChunks(input: AsyncIterable<Buffer | string>): AsyncGenerator<CsvChunk> {
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let carryBytes = 0;
  let bytesDone = 0;
  let decided = false;
  let crOnly = false;
  const state: State = { line: 0 };
  for await (const piece of input) {
    const pieceBytes = typeof piece === 'string' ? Buffer.byteLength(piece) : piece.length;
    let text = carry + (typeof piece === 'string' ? piece : decoder.write(piece));
    let textBytes = carryBytes + pieceBytes;
    if (!decided) {
      // The first line end says how lines end (a \r at the very end may still get its \n).
      const end = /\r\n?|\n/.exec(text);
      if (!end || end.index + 1 >= text.length) {
        carry = text;
        carryBytes = textBytes;
        continue;
      }
      if (text.charCodeAt(0) === 0xfeff) {
        text = text.slice(1);
        textBytes -= 3;
        bytesDone += 3;
      }
      crOnly = end[0] === '\r';
      decided = true;
    }
    const chunk = parseText({
      text,
      eol: crOnly ? '\r' : '\n',
      final: false,
      state,
      bytesBefore: bytesDone,
      bytesPerChar: textBytes / (text.length || 1),
    });
    carry = text.slice(chunk.consumed);
    carryBytes = Math.round((carry.length * textBytes) / (text.length || 1));
    bytesDone += textBytes - carryBytes;
    if (chunk.records.length > 0 || chunk.errors.length > 0) yield chunk;
  }
  let rest = carry + decoder.end();
  if (!decided) {
    if (rest.charCodeAt(0) === 0xfeff) {
      rest = rest.slice(1);
      carryBytes -= 3;
      bytesDone += 3;
    }
    crOnly = /\r\n?|\n/.exec(rest)?.[0] === '\r';
  }
  if (rest.length > 0) {
    const chunk = parseText({
      text: rest,
      eol: crOnly ? '\r' : '\n',
      final: true,
      state,
      bytesBefore: bytesDone,
      bytesPerChar: Math.max(1, carryBytes) / rest.length,
    });
    if (chunk.records.length > 0 || chunk.errors.length > 0) yield chunk;
  }
}

/** Parses a whole CSV text (tests and small files). */
export function parseCsvText(text: string): CsvChunk {
  const t = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const eol = /\r\n?|\n/.exec(t)?.[0] === '\r' ? '\r' : '\n';
  return parseText({ text: t, eol, final: true, state: { line: 0 }, bytesBefore: 0, bytesPerChar: 1 });
}

function parseText(options: {
  text: string;
  /** The line end: \n (with or without \r before it) or \r alone. */
  eol: '\n' | '\r';
  final: boolean;
  state: State;
  bytesBefore: number;
  bytesPerChar: number;
}): CsvChunk & { consumed: number } {
  const { text, eol, final, state, bytesBefore, bytesPerChar } = options;
  const crlf = eol === '\n';
  const len = text.length;
  const records: string[][] = [];
  const lines: number[] = [];
  const bytes: number[] = [];
  const errors: CsvError[] = [];
  let pos = 0;
  let nextQuote = text.indexOf('"');
  while (pos < len) {
    let nl = text.indexOf(eol, pos);
    if (nl === -1) {
      if (!final) break;
      nl = len;
    }
    if (nextQuote !== -1 && nextQuote < pos) nextQuote = text.indexOf('"', pos);
    if (nextQuote === -1 || nextQuote > nl) {
      // Fast path: a line without quotes.
      let end = nl;
      if (crlf && end > pos && text.charCodeAt(end - 1) === CR) end--;
      state.line++;
      if (end > pos) {
        records.push(text.slice(pos, end).split(','));
        lines.push(state.line);
        bytes.push(Math.round(bytesBefore + (nl + 1) * bytesPerChar));
      }
      pos = nl + 1;
      continue;
    }
    const startLine = state.line + 1;
    const result = parseQuotedRecord({ text, start: pos, final, eol });
    if (result === null) break; // incomplete: wait for more text
    state.line += countLines(text, { eol, from: pos, to: Math.min(result.next, len) });
    if (result.next > len) state.line++;
    if ('reason' in result) {
      errors.push({ line: startLine, reason: result.reason, before: records.length });
    } else {
      records.push(result.fields);
      lines.push(startLine);
      bytes.push(Math.round(bytesBefore + Math.min(result.next, len) * bytesPerChar));
    }
    pos = result.next;
  }
  return { records, lines, bytes, errors, consumed: Math.min(pos, len) };
}

function countLines(text: string, options: { eol: string; from: number; to: number }): number {
  let n = 0;
  let i = text.indexOf(options.eol, options.from);
  while (i !== -1 && i < options.to) {
    n++;
    i = text.indexOf(options.eol, i + 1);
  }
  return n;
}

/** Where the line holding `from` ends (just past its \n), for resuming after a bad record. */
function nextLine(text: string, from: number, eol: string): number {
  const nl = text.indexOf(eol, from);
  return nl === -1 ? text.length + 1 : nl + 1;
}

/** A bad record, unless the text ends before its line does and more may come (null). */
function bad(
  text: string,
  options: { from: number; final: boolean; eol: string; reason: string },
): { reason: string; next: number } | null {
  const next = nextLine(text, options.from, options.eol);
  if (next > text.length && !options.final) return null;
  return { reason: options.reason, next };
}

/**
 * One record that has a quote somewhere, from `start`. `next` is just past its line end (len + 1
 * when it ends the text without one). Null when the text ends inside it and more may come.
 */
function parseQuotedRecord(options: {
  text: string;
  start: number;
  final: boolean;
  eol: '\n' | '\r';
}): { fields: string[]; next: number } | { reason: string; next: number } | null {
  const { text, start, final, eol } = options;
  const EOL = eol === '\n' ? LF : CR;
  const crlf = eol === '\n';
  const len = text.length;
  const fields: string[] = [];
  let i = start;
  for (;;) {
    // At the start of a field.
    if (i < len && text.charCodeAt(i) === QUOTE) {
      let value = '';
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q === -1) {
          if (!final) return null;
          return { reason: `Quote Not Closed: the parsing is finished with an opening quote`, next: len + 1 };
        }
        if (q + 1 >= len && !final) return null;
        if (text.charCodeAt(q + 1) === QUOTE) {
          value += text.slice(j, q + 1);
          j = q + 2;
          continue;
        }
        value += text.slice(j, q);
        i = q + 1;
        break;
      }
      fields.push(value);
      if (i >= len) return final ? { fields, next: len + 1 } : null;
      const c = text.charCodeAt(i);
      if (c === COMMA) {
        i++;
        continue;
      }
      if (c === EOL) return { fields, next: i + 1 };
      if (crlf && c === CR && (i + 1 >= len || text.charCodeAt(i + 1) === LF)) {
        if (i + 1 >= len && !final) return null;
        return { fields, next: i + 2 };
      }
      return bad(text, {
        from: i,
        final,
        eol,
        reason: `Invalid Closing Quote: got "${text[i]}" after a closing quote instead of a delimiter or line end (field ${fields.length})`,
      });
    }
    // An unquoted field: up to the next comma or line end; a quote in it is an error.
    let j = i;
    while (j < len) {
      const c = text.charCodeAt(j);
      if (c === COMMA || c === EOL) break;
      if (c === QUOTE) {
        return bad(text, {
          from: j,
          final,
          eol,
          reason: `Invalid Opening Quote: a quote is found in field ${fields.length} that does not start with one`,
        });
      }
      j++;
    }
    if (j >= len && !final) return null;
    let end = j;
    if (crlf && (j >= len || text.charCodeAt(j) === LF) && end > i && text.charCodeAt(end - 1) === CR) end--;
    fields.push(text.slice(i, end));
    if (j >= len) return { fields, next: len + 1 };
    if (text.charCodeAt(j) === EOL) return { fields, next: j + 1 };
    i = j + 1;
  }
}

import { readSync } from 'node:fs';
import { open } from 'node:fs/promises';

/** One message's header block as read from an mbox, with the byte offset of its `From ` line. */
export type MboxHeader = { header: Buffer; offset: number; line: number; truncated: boolean };

const FROM_LINE = Buffer.from('\nFrom ');
const MAX_HEADER_BYTES = 1 << 20;
const CHUNK = 1 << 20;

function countLines(buf: Buffer, start: number, end: number): number {
  let n = 0;
  let i = buf.indexOf(10, start);
  while (i !== -1 && i < end) {
    n++;
    i = buf.indexOf(10, i + 1);
  }
  return n;
}

/** How an mbox is read: `blocking` reads each chunk synchronously (see readMboxHeaderBatches). */
export type MboxReadOptions = { blocking?: boolean };

/**
 * Reads `path` in 1 MiB chunks, yielding after each one the `remaining()` bytes the caller has not
 * consumed of the previous view followed by the new chunk. Two buffers are used in turn, so a view
 * stays intact until the view after it is yielded (or the file ends): no new buffer and no
 * concatenation per chunk, and the chunks fall where a 1 MiB read stream's would.
 */
async function* chunks(
  path: string,
  remaining: () => number,
  options: MboxReadOptions,
): AsyncGenerator<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffers: Buffer[] = [Buffer.allocUnsafe(2 * CHUNK), Buffer.allocUnsafe(2 * CHUNK)];
    let turn = 0;
    let view: Buffer = Buffer.alloc(0);
    for (;;) {
      const keep = remaining();
      turn = 1 - turn;
      let target = buffers[turn] as Buffer;
      if (keep + CHUNK > target.length) {
        // A header block longer than a chunk: grow (it is cut at MAX_HEADER_BYTES).
        target = Buffer.allocUnsafe(keep + 2 * CHUNK);
        buffers[turn] = target;
      }
      view.copy(target, 0, view.length - keep);
      const bytesRead = options.blocking
        ? readSync(handle.fd, target, keep, CHUNK, null)
        : (await handle.read(target, keep, CHUNK, null)).bytesRead;
      if (bytesRead === 0) return;
      view = target.subarray(0, keep + bytesRead);
      yield view;
    }
  } finally {
    await handle.close();
  }
}

/**
 * Streams an mbox file and yields only the header block of each message: bodies are skipped
 * without being kept, so memory stays flat however large the file. Messages are split on lines
 * beginning `From ` (mboxo/mboxrd; body lines are escaped as `>From`).
 */
export async function* readMboxHeaders(
  path: string,
  options: MboxReadOptions = {},
): AsyncGenerator<MboxHeader> {
  for await (const headers of readMboxHeaderBatches(path, options)) yield* headers;
}

/**
 * readMboxHeaders' header blocks, those found in each chunk read together: one asynchronous step
 * per chunk instead of one per message (a step through an async generator costs more than
 * finding a header does).
 *
 * `blocking` reads each chunk with a synchronous read, for a thread that has nothing else to do
 * meanwhile (a capture's reader thread, the CLI). An asynchronous read is done on a thread-pool
 * thread, and on 2 busy cores (a writer thread, this reader, V8's collector) that thread waited
 * for a core: a 500 MB mbox captured in parallel spent ~0.4-0.8 s awaiting its reads, against
 * ~0.1 s reading synchronously (1 MiB from the file cache takes ~0.1 ms).
 */
export async function* readMboxHeaderBatches(
  path: string,
  options: MboxReadOptions = {},
): AsyncGenerator<MboxHeader[]> {
  let buf: Buffer = Buffer.alloc(0); // the bytes of the current chunk view not yet dropped
  let bufStart = 0; // file offset of buf[0]
  let bufLine = 1; // line number of buf[0]
  let state: 'start' | 'header' | 'body' = 'start';
  let msgOffset = 0;
  let msgLine = 1;
  let headerStart = 0;
  const drop = (upTo: number) => {
    bufLine += countLines(buf, 0, upTo);
    buf = buf.subarray(upTo);
    bufStart += upTo;
  };
  let found: MboxHeader[] = [];
  for await (const view of chunks(path, () => buf.length, options)) {
    buf = view;
    for (;;) {
      if (state === 'start') {
        const eol = buf.indexOf(10);
        if (eol === -1) break;
        msgOffset = bufStart;
        msgLine = bufLine;
        // A file that does not begin with a From line still yields its first message.
        headerStart = buf.subarray(0, 5).toString('latin1') === 'From ' ? eol + 1 : 0;
        state = 'header';
      }
      if (state === 'header') {
        const end = headerEnd(buf, headerStart);
        if (end === -1) {
          if (buf.length - headerStart > MAX_HEADER_BYTES) {
            found.push({
              header: Buffer.from(buf.subarray(headerStart)),
              offset: msgOffset,
              line: msgLine,
              truncated: true,
            });
            drop(buf.length);
            state = 'body';
          }
          break;
        }
        found.push({
          header: Buffer.from(buf.subarray(headerStart, end)),
          offset: msgOffset,
          line: msgLine,
          truncated: false,
        });
        drop(end);
        state = 'body';
      }
      if (state === 'body') {
        const next = buf.indexOf(FROM_LINE);
        if (next === -1) {
          // Keep the tail in case a `\nFrom ` straddles two chunks.
          drop(Math.max(0, buf.length - FROM_LINE.length));
          break;
        }
        drop(next + 1);
        state = 'start';
      }
    }
    if (found.length > 0) {
      yield found;
      found = [];
    }
  }
  if (state === 'start' && buf.length > 0 && buf.subarray(0, 5).toString('latin1') === 'From ') {
    const eol = buf.indexOf(10);
    const rest = eol === -1 ? Buffer.alloc(0) : buf.subarray(eol + 1);
    yield [{ header: Buffer.from(rest), offset: bufStart, line: bufLine, truncated: true }];
  } else if (state === 'header' && buf.length > headerStart) {
    // The file ended inside a header block: a truncated message.
    yield [
      {
        header: Buffer.from(buf.subarray(headerStart)),
        offset: msgOffset,
        line: msgLine,
        truncated: true,
      },
    ];
  }
}

/** Index where the header block ends (first empty line, or the next From line), or -1. */
function headerEnd(buf: Buffer, from: number): number {
  if (buf[from] === 10) return from;
  if (buf[from] === 13 && buf[from + 1] === 10) return from;
  // Find the nearest candidate first, then look for earlier ones only before it (headers are short).
  const lf = buf.indexOf('\n\n', from);
  const limit = lf === -1 ? buf.length : lf;
  const window = buf.subarray(from, limit);
  let end = lf;
  for (const needle of ['\n\r\n', '\nFrom ']) {
    const i = window.indexOf(needle);
    if (i !== -1 && (end === -1 || from + i < end)) end = from + i;
  }
  return end === -1 ? -1 : end + 1;
}

import { open, stat } from 'node:fs/promises';
import { badInput } from '../errors/app-error.ts';
import type { ReadResult } from './activity.ts';
import { mailToActivity } from './mail-headers.ts';
import { type MboxReadOptions, readMboxHeaderBatches } from './mbox-reader.ts';
import { walkFiles } from './walk-files.ts';

export type MailFormat = 'eml' | 'mbox' | 'maildir';

/** Reads the first bytes of a file: mbox files begin with a `From ` line. */
async function sniff(path: string): Promise<MailFormat> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(5), 0, 5, 0);
    return buffer.subarray(0, bytesRead).toString('latin1') === 'From ' ? 'mbox' : 'eml';
  } finally {
    await handle.close();
  }
}

/** Detects how a path holds mail: a directory is a Maildir (cur/new) or a tree of mail files. */
export async function detectMailFormat(path: string): Promise<MailFormat> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw badInput(`no such file or folder: ${path}`, { file: path });
  if (info.isDirectory()) return 'maildir';
  return sniff(path);
}

/** The header block of an .eml file: read only up to the first empty line. */
async function readEmlHeader(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const parts: Buffer[] = [];
    let position = 0;
    for (;;) {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(64 * 1024), 0, 64 * 1024, position);
      if (bytesRead === 0) break;
      parts.push(buffer.subarray(0, bytesRead));
      position += bytesRead;
      const joined = Buffer.concat(parts);
      if (joined.indexOf('\n\n') !== -1 || joined.indexOf('\n\r\n') !== -1) return joined;
      if (position > 4 * 1024 * 1024) return joined;
    }
    return Buffer.concat(parts);
  } finally {
    await handle.close();
  }
}

// Maildir tmp/ holds messages still being delivered.
const walk = (dir: string) => walkFiles(dir, (name) => name === 'tmp');

export type MailReadEvent =
  | ReadResult
  | { warning: { file: string; offset?: number; line?: number; reason: string } };

/**
 * Reads .eml files, mbox files and Maildir folders into captured activities (or rejections). The
 * events of a file are worked out a chunk at a time and yielded from here, so each event takes one
 * asynchronous step, not one per generator in between.
 */
export async function* readMail(options: {
  paths: string[];
  format?: MailFormat;
  /** Read mbox files with blocking reads (readMboxHeaderBatches): for a thread that only reads. */
  blocking?: boolean;
}): AsyncGenerator<MailReadEvent> {
  for (const path of options.paths) {
    const format = options.format ?? (await detectMailFormat(path));
    if (format === 'maildir') {
      for await (const file of walk(path)) {
        const kind = await sniff(file);
        for await (const events of kind === 'mbox' ? mboxEvents(file, options) : emlEvents(file))
          yield* events;
      }
    } else
      for await (const events of format === 'mbox' ? mboxEvents(path, options) : emlEvents(path))
        yield* events;
  }
}

async function* emlEvents(file: string): AsyncGenerator<MailReadEvent[]> {
  let header: Buffer;
  try {
    header = await readEmlHeader(file);
  } catch (error) {
    yield [{ rejection: { file, reason: `unreadable: ${(error as Error).message}` } }];
    return;
  }
  const events: MailReadEvent[] = [];
  headerEvents({ header, file, origin: { file } }, events);
  yield events;
}

async function* mboxEvents(file: string, options: MboxReadOptions): AsyncGenerator<MailReadEvent[]> {
  for await (const headers of readMboxHeaderBatches(file, options)) {
    const events: MailReadEvent[] = [];
    for (const m of headers) {
      const where = { file, offset: m.offset, line: m.line };
      if (m.truncated)
        events.push({ warning: { ...where, reason: 'truncated message (file ends inside the headers)' } });
      headerEvents({ header: m.header, file, origin: where, offset: m.offset, line: m.line }, events);
    }
    yield events;
  }
}

/** The events of one header block (a warning, then the activity or why there is none), added to `out`. */
function headerEvents(
  input: {
    header: Buffer;
    file: string;
    origin: Record<string, string | number>;
    offset?: number;
    line?: number;
  },
  out: MailReadEvent[],
): void {
  const where = {
    file: input.file,
    ...(input.offset === undefined ? {} : { offset: input.offset, line: input.line }),
  };
  let parsed: ReturnType<typeof mailToActivity>;
  try {
    parsed = mailToActivity({ header: input.header, source: 'mail', origin: input.origin });
  } catch (error) {
    out.push({ rejection: { ...where, reason: `unparseable headers: ${(error as Error).message}` } });
    return;
  }
  if (parsed.nonUtf8) out.push({ warning: { ...where, reason: 'header is not UTF-8 (read as Latin-1)' } });
  if ('reason' in parsed) out.push({ rejection: { ...where, reason: parsed.reason } });
  else out.push({ activity: parsed.activity });
}

// The mail reader as it was before the fast path (mbox splitting, header block parsing with
// postal-mime's address parser, activity building), kept verbatim so tests can prove that the
// fast path in src/capture gives exactly the same events on every fixture. Not used at run time.
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { DateTime } from 'luxon';
import { addressParser, decodeWords } from 'postal-mime';
import type { CapturedActivity, CapturedParticipant } from '../capture/activity.ts';
export type MboxHeader = { header: Buffer; offset: number; line: number; truncated: boolean };

const FROM_LINE = Buffer.from('\nFrom ');
const MAX_HEADER_BYTES = 1 << 20;

function countLines(buf: Buffer, start: number, end: number): number {
  let n = 0;
  let i = buf.indexOf(10, start);
  while (i !== -1 && i < end) {
    n++;
    i = buf.indexOf(10, i + 1);
  }
  return n;
}

/**
 * Streams an mbox file and yields only the header block of each message: bodies are skipped
 * without being kept, so memory stays flat however large the file. Messages are split on lines
 * beginning `From ` (mboxo/mboxrd; body lines are escaped as `>From`).
 */
export async function* referenceReadMboxHeaders(path: string): AsyncGenerator<MboxHeader> {
  let buf: Buffer = Buffer.alloc(0);
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
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    buf = buf.length === 0 ? (chunk as Buffer) : Buffer.concat([buf, chunk as Buffer]);
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
            yield {
              header: Buffer.from(buf.subarray(headerStart)),
              offset: msgOffset,
              line: msgLine,
              truncated: true,
            };
            drop(buf.length);
            state = 'body';
          }
          break;
        }
        yield {
          header: Buffer.from(buf.subarray(headerStart, end)),
          offset: msgOffset,
          line: msgLine,
          truncated: false,
        };
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
  }
  if (state === 'start' && buf.length > 0 && buf.subarray(0, 5).toString('latin1') === 'From ') {
    const eol = buf.indexOf(10);
    const rest = eol === -1 ? Buffer.alloc(0) : buf.subarray(eol + 1);
    yield { header: Buffer.from(rest), offset: bufStart, line: bufLine, truncated: true };
  } else if (state === 'header' && buf.length > headerStart) {
    // The file ended inside a header block: a truncated message.
    yield {
      header: Buffer.from(buf.subarray(headerStart)),
      offset: msgOffset,
      line: msgLine,
      truncated: true,
    };
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
/** Header name (lower-case) → values in order. Only the header block is ever parsed. */
export type HeaderMap = Map<string, string[]>;

const wanted = new Set([
  'from',
  'to',
  'cc',
  'bcc',
  'date',
  'message-id',
  'in-reply-to',
  'references',
  'subject',
  'list-id',
  'list-unsubscribe',
  'precedence',
  'auto-submitted',
  'x-auto-response-suppress',
]);

/** Splits a header block into unfolded lines and keeps the headers capture uses. */
export function parseHeaderBlock(block: Buffer): { headers: HeaderMap; nonUtf8: boolean } {
  const nonUtf8 = !isUtf8(block);
  // 8-bit headers that are not UTF-8 are read as Latin-1 so no byte is lost or throws.
  const text = block.toString(nonUtf8 ? 'latin1' : 'utf8');
  const headers: HeaderMap = new Map();
  let name = '';
  let value = '';
  const flush = () => {
    if (name && wanted.has(name)) {
      const list = headers.get(name);
      if (list) list.push(value);
      else headers.set(name, [value]);
    }
    name = '';
  };
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === '') break;
    const first = line.charCodeAt(0);
    if (first === 32 || first === 9) {
      if (name) value += ` ${line.trim()}`;
      continue;
    }
    flush();
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    name = line.slice(0, colon).trim().toLowerCase();
    value = line.slice(colon + 1).trim();
  }
  flush();
  return { headers, nonUtf8 };
}

const first = (h: HeaderMap, name: string): string | undefined => h.get(name)?.[0];

/** Why a message is bulk or automatic mail, or undefined for a person's mail. */
export function bulkReason(h: HeaderMap): string | undefined {
  if (h.has('list-id')) return 'list-id';
  if (h.has('list-unsubscribe')) return 'list-unsubscribe';
  const precedence = first(h, 'precedence')?.toLowerCase();
  if (precedence && /\b(bulk|list|junk)\b/.test(precedence)) return `precedence-${precedence.trim()}`;
  const auto = first(h, 'auto-submitted')?.toLowerCase().trim();
  if (auto && auto !== 'no') return 'auto-submitted';
  return undefined;
}

/** Parses an RFC 5322 date, tolerating comments and common breakage; undefined when hopeless. */
export function parseMailDate(value: string | undefined): number | undefined {
  if (!value) return undefined;
  // A date without a zone is read as UTC, never as the machine's local time.
  if (!/[+-]\d{4}\b|\b(GMT|UTC|UT|Z|[ECMP][SD]T)\b/i.test(value)) value = `${value} +0000`;
  const direct = Date.parse(value);
  if (!Number.isNaN(direct)) return direct;
  const cleaned = value
    .replace(/\([^)]*\)/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  const again = Date.parse(cleaned);
  if (!Number.isNaN(again)) return again;
  const luxon = DateTime.fromRFC2822(cleaned);
  return luxon.isValid ? luxon.toMillis() : undefined;
}

function addresses(h: HeaderMap, name: string, role: CapturedParticipant['role']): CapturedParticipant[] {
  const values = h.get(name);
  if (!values) return [];
  const out: CapturedParticipant[] = [];
  for (const value of values) {
    for (const a of addressParser(value, { flatten: true })) {
      const address = 'address' in a ? a.address?.trim() : undefined;
      if (!address?.includes('@')) continue;
      const name = a.name ? decodeWords(a.name).replace(/\s+/g, ' ').trim() : '';
      out.push({ role, email: address, name: name || null });
    }
  }
  return out;
}

const angle = (value: string | undefined): string | undefined => {
  if (!value) return undefined;
  const m = /<([^>]+)>/.exec(value);
  const id = (m?.[1] ?? value).trim();
  return id ? id.slice(0, 998) : undefined;
};

/**
 * The source key of a mail message: a hash of the headers that identify a sent message (date,
 * sender, recipients, Message-ID-independent), so one message copied into several folders (sent,
 * sent_items, _sent_mail — which in the Enron release even carry different Message-IDs) is one
 * activity. Message-ID is kept separately for threading.
 */
export function mailSourceKey(input: {
  occurredAt: number;
  from: string;
  recipients: string[];
  subject: string;
}): string {
  const hash = createHash('sha1');
  hash.update(`${input.occurredAt}\n${input.from.toLowerCase()}\n`);
  hash.update([...new Set(input.recipients.map((r) => r.toLowerCase()))].sort().join(','));
  hash.update(`\n${input.subject.trim()}`);
  return `mail:${hash.digest('base64url')}`;
}

export type MailParse =
  | { activity: CapturedActivity; nonUtf8: boolean }
  | { reason: string; nonUtf8: boolean };

/** A mail header block → the captured activity (metadata only), or why it cannot be one. */
export function referenceMailToActivity(input: {
  header: Buffer;
  source: string;
  origin: Record<string, string | number>;
}): MailParse {
  const { headers: h, nonUtf8 } = parseHeaderBlock(input.header);
  const from = addresses(h, 'from', 'from');
  if (from.length === 0) return { reason: 'no From address', nonUtf8 };
  const occurredAt = parseMailDate(first(h, 'date'));
  if (occurredAt === undefined)
    return { reason: `unreadable Date: ${first(h, 'date') ?? '(missing)'}`, nonUtf8 };
  const recipients = [
    ...addresses(h, 'to', 'to'),
    ...addresses(h, 'cc', 'cc'),
    ...addresses(h, 'bcc', 'bcc'),
  ];
  const subjectRaw = first(h, 'subject');
  const subject = subjectRaw ? decodeWords(subjectRaw).slice(0, 998) : '';
  const messageId = angle(first(h, 'message-id'));
  const inReplyTo = angle(first(h, 'in-reply-to'));
  const references = first(h, 'references')?.match(/<[^>]+>/g);
  const threadKey = angle(references?.[0]) ?? inReplyTo ?? messageId;
  const sender = from[0] as CapturedParticipant;
  const activity: CapturedActivity = {
    kind: 'email',
    occurredAt,
    source: input.source,
    sourceKey: mailSourceKey({
      occurredAt,
      from: sender.email ?? '',
      recipients: recipients.map((r) => r.email ?? ''),
      subject,
    }),
    messageId: messageId ?? null,
    inReplyTo: inReplyTo ?? null,
    threadKey: threadKey ?? null,
    subject: subject || null,
    bulkReason: bulkReason(h) ?? null,
    participants: [sender, ...recipients],
    origin: input.origin,
  };
  return { activity, nonUtf8 };
}

type ReferenceEvent =
  | { activity: CapturedActivity }
  | { rejection: { file: string; offset?: number; line?: number; reason: string } }
  | { warning: { file: string; offset?: number; line?: number; reason: string } };

/** The events the old reader gave for one file: `mbox` split on From lines, `eml` one message. */
export async function* referenceReadFile(file: string, kind: 'mbox' | 'eml'): AsyncGenerator<ReferenceEvent> {
  if (kind === 'eml') {
    yield* referenceFromHeader({ header: await referenceReadEmlHeader(file), file, origin: { file } });
    return;
  }
  for await (const m of referenceReadMboxHeaders(file)) {
    const where = { file, offset: m.offset, line: m.line };
    if (m.truncated)
      yield { warning: { ...where, reason: 'truncated message (file ends inside the headers)' } };
    yield* referenceFromHeader({ header: m.header, file, origin: where, offset: m.offset, line: m.line });
  }
}

function* referenceFromHeader(input: {
  header: Buffer;
  file: string;
  origin: Record<string, string | number>;
  offset?: number;
  line?: number;
}): Generator<ReferenceEvent> {
  const where = {
    file: input.file,
    ...(input.offset === undefined ? {} : { offset: input.offset, line: input.line }),
  };
  let parsed: MailParse;
  try {
    parsed = referenceMailToActivity({ header: input.header, source: 'mail', origin: input.origin });
  } catch (error) {
    yield { rejection: { ...where, reason: `unparseable headers: ${(error as Error).message}` } };
    return;
  }
  if (parsed.nonUtf8) yield { warning: { ...where, reason: 'header is not UTF-8 (read as Latin-1)' } };
  if ('reason' in parsed) yield { rejection: { ...where, reason: parsed.reason } };
  else yield { activity: parsed.activity };
}

async function referenceReadEmlHeader(path: string): Promise<Buffer> {
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

import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { addressParser, decodeWords } from 'postal-mime';
import type { CapturedActivity, CapturedParticipant } from './activity.ts';

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
export function mailToActivity(input: {
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

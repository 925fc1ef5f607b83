import { isUtf8 } from 'node:buffer';
import { hash } from 'node:crypto';
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

// Lengths of the wanted names: most headers of a real message (Received, DKIM-Signature,
// Content-Type …) are passed over on their length alone, without building their name or value.
const wantedLengths = new Set([...wanted].map((name) => name.length));

const isAsciiAlnum = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/**
 * The lower-case name of a header line whose colon is at `colon`, or undefined when capture does
 * not use it. Same result as `line.slice(0, colon).trim().toLowerCase()` checked against `wanted`
 * (a wanted name is ASCII, so a name with other bytes than at its ends can never be one).
 */
function wantedName(
  block: Buffer,
  start: number,
  colon: number,
  encoding: BufferEncoding,
): string | undefined {
  if (isAsciiAlnum(block[start] as number) && isAsciiAlnum(block[colon - 1] as number)) {
    if (!wantedLengths.has(colon - start)) return undefined;
    const name = block.toString('latin1', start, colon).toLowerCase();
    return wanted.has(name) ? name : undefined;
  }
  // Odd characters around the name (spaces before the colon, a byte-order mark): the general rule.
  const name = block.toString(encoding, start, colon).trim().toLowerCase();
  return wanted.has(name) ? name : undefined;
}

/**
 * Splits a header block into unfolded lines and keeps the headers capture uses. The block is
 * scanned as bytes and only the wanted values are decoded: a header capture does not use costs a
 * length check, its continuation lines build no strings, and a kept value does not hold on to
 * the whole header's text (a slice would, for as long as the activity lives).
 */
export function parseHeaderBlock(block: Buffer): { headers: HeaderMap; nonUtf8: boolean } {
  const nonUtf8 = !isUtf8(block);
  // 8-bit headers that are not UTF-8 are read as Latin-1 so no byte is lost or throws.
  const encoding: BufferEncoding = nonUtf8 ? 'latin1' : 'utf8';
  const headers: HeaderMap = new Map();
  let name: string | undefined; // the current header, when capture uses it
  let value = '';
  const flush = () => {
    if (name === undefined) return;
    const list = headers.get(name);
    if (list) list.push(value);
    else headers.set(name, [value]);
    name = undefined;
  };
  const length = block.length;
  // The first colon at or after the position it was searched from: a line without one must not
  // make the next line search the rest of the block again.
  let colon = -1;
  // Line breaks, the colon and blanks are ASCII, so byte positions split the text where the
  // decoded string's positions would.
  for (let pos = 0; pos <= length; ) {
    let nl = block.indexOf(10, pos);
    if (nl === -1) nl = length;
    const end = nl > pos && block[nl - 1] === 13 ? nl - 1 : nl;
    if (end === pos) break; // the empty line that ends the block
    const c = block[pos];
    if (c === 32 || c === 9) {
      if (name !== undefined) value += ` ${block.toString(encoding, pos, end).trim()}`;
    } else {
      flush();
      if (colon < pos) colon = block.indexOf(58, pos);
      if (colon > pos && colon < end) {
        name = wantedName(block, pos, colon, encoding);
        if (name !== undefined) value = block.toString(encoding, colon + 1, end).trim();
      }
    }
    pos = nl + 1;
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

// A plain address as postal-mime keeps it: one '@', no spaces, operators or encoded-word marks.
const simpleAddress = /^[A-Za-z0-9._+'-]+@[A-Za-z0-9._-]+$/;
// A display name that postal-mime reads as one text run and decodeWords leaves alone (the
// tokenizer drops control characters, so a name holding one goes to the library).
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is excluded.
const plainQuotedName = /^[^"\\\x00-\x1f\x7f=?]*$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: as above.
const plainBareName = /^[^"\\\x00-\x1f\x7f=?()<>,;:@[\]]*$/;

const isBlank = (c: number) => c === 32 || c === 9;

/**
 * Reads the common simple forms of an address list — `a@b`, `<a@b>`, `"Name" <a@b>`, `Name <a@b>`,
 * separated by commas — giving what postal-mime's address parser and the rules in `addresses`
 * give for them, or undefined for anything else (groups, comments, encoded words, escapes, empty
 * items), which the library then reads.
 */
export function simpleAddressList(
  value: string,
  role: CapturedParticipant['role'],
): CapturedParticipant[] | undefined {
  const out: CapturedParticipant[] = [];
  const n = value.length;
  let i = 0;
  while (i < n && isBlank(value.charCodeAt(i))) i++;
  if (i === n) return out;
  for (;;) {
    let name = '';
    const c = value.charCodeAt(i);
    if (c === 34) {
      const close = value.indexOf('"', i + 1);
      if (close === -1) return undefined;
      name = value.slice(i + 1, close);
      if (!plainQuotedName.test(name)) return undefined;
      i = close + 1;
      while (i < n && isBlank(value.charCodeAt(i))) i++;
      if (value.charCodeAt(i) !== 60) return undefined;
    } else if (c !== 60) {
      let k = i;
      while (k < n) {
        const d = value.charCodeAt(k);
        if (d === 60 || d === 44) break;
        k++;
      }
      if (value.charCodeAt(k) === 60) {
        name = value.slice(i, k);
        if (!plainBareName.test(name)) return undefined;
        i = k;
      } else {
        const email = value.slice(i, k).trim();
        if (!simpleAddress.test(email)) return undefined;
        out.push({ role, email, name: null });
        i = k;
      }
    }
    if (value.charCodeAt(i) === 60) {
      const close = value.indexOf('>', i + 1);
      if (close === -1) return undefined;
      const email = value.slice(i + 1, close);
      if (!simpleAddress.test(email)) return undefined;
      // postal-mime drops a name that is the address itself; whitespace runs become one space.
      const trimmed = name.trim();
      const display = trimmed === email ? '' : trimmed.replace(/\s+/g, ' ').trim();
      out.push({ role, email, name: display || null });
      i = close + 1;
      while (i < n && isBlank(value.charCodeAt(i))) i++;
    }
    if (i === n) return out;
    if (value.charCodeAt(i) !== 44) return undefined;
    i++;
    while (i < n && isBlank(value.charCodeAt(i))) i++;
    // An empty item (`a@b,,c@d` or a trailing comma) is left to the library.
    if (i === n || value.charCodeAt(i) === 44) return undefined;
  }
}

function libraryAddressList(value: string, role: CapturedParticipant['role']): CapturedParticipant[] {
  const out: CapturedParticipant[] = [];
  for (const a of addressParser(value, { flatten: true })) {
    const address = 'address' in a ? a.address?.trim() : undefined;
    if (!address?.includes('@')) continue;
    const name = a.name ? decodeWords(a.name).replace(/\s+/g, ' ').trim() : '';
    out.push({ role, email: address, name: name || null });
  }
  return out;
}

function addresses(h: HeaderMap, name: string, role: CapturedParticipant['role']): CapturedParticipant[] {
  const values = h.get(name);
  if (!values) return [];
  const out: CapturedParticipant[] = [];
  for (const value of values) {
    for (const a of simpleAddressList(value, role) ?? libraryAddressList(value, role)) out.push(a);
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
  // One recipient (most mail) needs no set and no sort.
  const recipients = input.recipients;
  const to =
    recipients.length === 1
      ? (recipients[0] as string).toLowerCase()
      : [...new Set(recipients.map((r) => r.toLowerCase()))].sort().join(',');
  // One-shot: the same bytes as hashing the three parts one after another, without a Hash object.
  const text = `${input.occurredAt}\n${input.from.toLowerCase()}\n${to}\n${input.subject.trim()}`;
  return `mail:${hash('sha1', text, 'base64url')}`;
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
  // decodeWords leaves a subject without an encoded word as it is.
  const subject = subjectRaw
    ? (subjectRaw.includes('=?') ? decodeWords(subjectRaw) : subjectRaw).slice(0, 998)
    : '';
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

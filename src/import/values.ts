import parsePhoneNumberFromString, { type CountryCode } from 'libphonenumber-js';
import { DateTime, IANAZone } from 'luxon';

// Pure value transforms for imported CSV cells. Each returns a value or a `Bad` with the reason,
// so the caller can reject the row with file:line and field without throwing.

export type Bad = { bad: string };
export const isBad = (v: unknown): v is Bad => typeof v === 'object' && v !== null && 'bad' in v;

export const isValidZone = (zone: string): boolean => IANAZone.isValidZone(zone);

const BOOLEAN_WORDS: Record<string, 0 | 1> = {
  yes: 1,
  y: 1,
  true: 1,
  t: 1,
  '1': 1,
  no: 0,
  n: 0,
  false: 0,
  f: 0,
  '0': 0,
};

export function parseBoolean(text: string): 0 | 1 | Bad {
  const v = BOOLEAN_WORDS[text.trim().toLowerCase()];
  return v === undefined ? { bad: `"${text}" is not a boolean (Yes/No, 1/0, true/false)` } : v;
}

/** Numbers and currency strings: "$22,700.00", "€ 1.234,50" with decimal ",", "(500)" as negative. */
// Plain numbers, by far the most common cells, read the same with or without the clean-up below.
const PLAIN_INTEGER = /^-?\d+$/;
const PLAIN_DECIMAL = /^-?\d+(?:\.\d+)?$/;

export function parseNumber(text: string, options: { decimal?: '.' | ',' } = {}): number | Bad {
  let s = text.trim();
  if ((options.decimal === ',' ? PLAIN_INTEGER : PLAIN_DECIMAL).test(s)) return Number(s);
  const negative = /^\(.*\)$/.test(s);
  if (negative) s = s.slice(1, -1);
  s = s.replace(/^[A-Z]{3}\s*/, '').replace(/\s*[A-Z]{3}$/, '');
  s = s.replace(/[$€£¥₹\s\u00a0]/g, '');
  if (options.decimal === ',') s = s.replace(/\./g, '').replace(',', '.');
  else s = s.replace(/,/g, '');
  if (s.endsWith('%')) s = s.slice(0, -1);
  const n = s === '' ? Number.NaN : Number(s);
  if (!Number.isFinite(n)) return { bad: `"${text}" is not a number` };
  return negative ? -n : n;
}

export function parseInteger(text: string, options: { decimal?: '.' | ',' } = {}): number | Bad {
  const n = parseNumber(text, options);
  if (isBad(n)) return n;
  if (!Number.isInteger(n)) return { bad: `"${text}" is not a whole number` };
  return n;
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/;

// Offsets of a zone per local hour, so ISO values in a zone cost a Map lookup, not a luxon call.
const offsetCache = new Map<string, number>();

function zoneOffsetMinutes(zone: string, y: number, mo: number, d: number, h: number): number {
  const key = `${zone}|${y}-${mo}-${d}-${h}`;
  let offset = offsetCache.get(key);
  if (offset === undefined) {
    offset = DateTime.fromObject({ year: y, month: mo, day: d, hour: h }, { zone }).offset;
    if (offsetCache.size > 100_000) offsetCache.clear();
    offsetCache.set(key, offset);
  }
  return offset;
}

// Two digits at text[at] as a number, or -1.
function digits2(text: string, at: number): number {
  const a = text.charCodeAt(at) - 48;
  const b = text.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * The form CRMs and Gleaner's own exports write, `2025-07-12T04:57:02.410Z` (or without the
 * milliseconds), read by character codes; undefined for anything else (the regex path decides).
 */
function parseUtcTimestamp(text: string): number | undefined {
  const n = text.length;
  if ((n !== 24 && n !== 20) || text.charCodeAt(n - 1) !== 90 /* Z */) return undefined;
  if (text[4] !== '-' || text[7] !== '-' || text[10] !== 'T' || text[13] !== ':' || text[16] !== ':')
    return undefined;
  const hi = digits2(text, 0);
  const lo = digits2(text, 2);
  const mo = digits2(text, 5);
  const d = digits2(text, 8);
  const h = digits2(text, 11);
  const mi = digits2(text, 14);
  const sec = digits2(text, 17);
  let ms = 0;
  if (n === 24) {
    const ms2 = digits2(text, 20);
    const ms1 = text.charCodeAt(22) - 48;
    if (text[19] !== '.' || ms2 < 0 || ms1 < 0 || ms1 > 9) return undefined;
    ms = ms2 * 10 + ms1;
  }
  if (hi < 0 || lo < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || sec < 0) return undefined;
  const y = hi * 100 + lo;
  // Out-of-range parts: the regex path words the rejection.
  if (y < 100 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || sec > 59)
    return undefined;
  return Date.UTC(y, mo - 1, d, h, mi, sec, ms);
}

/** ISO 8601 (date, date-time, with or without zone) → epoch ms; zone-less values are read in `zone`. */
export function parseIsoDate(text: string, zone: string): number | Bad | undefined {
  return parseUtcTimestamp(text) ?? parseIsoDateByPattern(text, zone);
}

/** `parseIsoDate` by the ISO pattern alone: the reference its fast path is tested against. */
export function parseIsoDateByPattern(text: string, zone: string): number | Bad | undefined {
  const m = ISO.exec(text);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const h = m[4] ? Number(m[4]) : 0;
  const mi = m[5] ? Number(m[5]) : 0;
  const s = m[6] ? Number(m[6]) : 0;
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) {
    return { bad: `"${text}" is not a valid date` };
  }
  const local = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const z = m[8];
  if (z === 'Z') return local;
  if (z) {
    const sign = z.startsWith('-') ? -1 : 1;
    const digits = z.slice(1).replace(':', '');
    const offset = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0');
    return local - sign * offset * 60_000;
  }
  if (zone === 'UTC') return local;
  return local - zoneOffsetMinutes(zone, y, mo, d, h) * 60_000;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, mo: number): number {
  const y = year < 100 ? 1900 + year : year; // as Date.UTC reads the years 0–99 (and Date.UTC below)
  if (mo === 2 && ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0)) return 29;
  return DAYS_IN_MONTH[mo - 1] ?? 31;
}

const AMBIGUOUS = /^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}/;

/**
 * A date cell → epoch ms. With `formats` (luxon tokens, e.g. "dd MMM, yyyy HH:mm:ss") the value must
 * match one of them; ISO 8601 is always accepted. A day/month order that could go either way is never guessed.
 */
export function parseDate(
  text: string,
  options: { formats?: readonly string[]; zone: string },
): number | Bad {
  const s = text.trim();
  const iso = parseIsoDate(s, options.zone);
  if (iso !== undefined) return iso;
  const formats = options.formats ?? [];
  for (const format of formats) {
    const dt = DateTime.fromFormat(s, format, { zone: options.zone, setZone: true, locale: 'en-US' });
    if (dt.isValid) return dt.toMillis();
  }
  if (formats.length > 0) return { bad: `"${text}" does not match the date format ${formats.join(' or ')}` };
  if (AMBIGUOUS.test(s)) {
    return {
      bad: `"${text}" is ambiguous (day/month order): give the mapping a date format, e.g. "MM/dd/yyyy"`,
    };
  }
  return { bad: `"${text}" is not an ISO 8601 date; give the mapping a date format` };
}

/** Lower-cased, trimmed e-mail address; the part in <…> when a display name is present. */
export function normaliseEmail(text: string): string | Bad {
  const inner = text.includes('<') ? (/<([^>]+)>/.exec(text)?.[1] ?? text) : text;
  const s = inner.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s)) return { bad: `"${text}" is not an e-mail address` };
  return s;
}

/** E.164 phone number; numbers without a country code are read in `country` (default US). */
export function normalisePhone(text: string, country: CountryCode = 'US'): string | Bad {
  const phone = parsePhoneNumberFromString(text, country);
  if (!phone?.isPossible()) return { bad: `"${text}" is not a phone number` };
  return phone.number;
}

/** "https://www.Acme.com/about" → "acme.com"; an e-mail address gives its domain. */
const DOMAIN = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/;

export function normaliseDomain(text: string): string | Bad {
  let s = text.trim().toLowerCase();
  // Already a bare domain (the usual cell): nothing below would change it.
  if (DOMAIN.test(s) && !s.startsWith('www.')) return s;
  const at = s.lastIndexOf('@');
  if (at >= 0) s = s.slice(at + 1);
  s = s.replace(/^[a-z][a-z0-9+.-]*:\/\//, '').replace(/^www\./, '');
  const end = s.search(/[/?#:]/);
  if (end >= 0) s = s.slice(0, end);
  if (!DOMAIN.test(s)) return { bad: `"${text}" is not a domain` };
  return s;
}

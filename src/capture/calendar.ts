import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import { findIana } from 'windows-iana';
import type { CapturedActivity, CapturedParticipant, Rejection } from './activity.ts';
import type { CaptureEvent } from './capture-run.ts';
import { walkFiles } from './walk-files.ts';

export type CalendarOptions = {
  /** Recurring meetings are expanded to occurrences starting in [from, to] (epoch ms). */
  from: number;
  to: number;
  /** Zone for floating and all-day times. */
  defaultZone: string;
  /** At most this many occurrences per recurring event (an unbounded rule stops here). */
  maxOccurrences?: number;
};

type Zones = { file: Map<string, ICAL.Timezone>; warnings: Set<string> };

const offsetName = /\((?:UTC|GMT)\s*([+-])(\d{1,2}):?(\d{2})\)/i;

// Outlook/OWA write display names ("(UTC-05:00) Eastern Time (US & Canada)") that no zone table
// lists; the common ones map to IANA so daylight saving is right. Others fall back to the offset.
const displayNames: Array<[string, string]> = [
  ['eastern time (us & canada)', 'America/New_York'],
  ['central time (us & canada)', 'America/Chicago'],
  ['mountain time (us & canada)', 'America/Denver'],
  ['pacific time (us & canada)', 'America/Los_Angeles'],
  ['canberra, melbourne, sydney', 'Australia/Sydney'],
  ['amsterdam, berlin, bern, rome, stockholm, vienna', 'Europe/Berlin'],
  ['brussels, copenhagen, madrid, paris', 'Europe/Paris'],
  ['dublin, edinburgh, lisbon, london', 'Europe/London'],
  ['belgrade, bratislava, budapest, ljubljana, prague', 'Europe/Budapest'],
  ['sarajevo, skopje, warsaw, zagreb', 'Europe/Warsaw'],
  ['osaka, sapporo, tokyo', 'Asia/Tokyo'],
  ['chennai, kolkata, mumbai, new delhi', 'Asia/Kolkata'],
];

/** An IANA zone for a TZID: IANA names as they are, Windows/Exchange names mapped, "(UTC-08:00) …" as a fixed offset. */
export function resolveZoneName(tzid: string): string | undefined {
  const clean = tzid.replace(/^"|"$/g, '').trim();
  if (DateTime.local().setZone(clean).isValid) return clean;
  const windows = findIana(clean)[0] ?? findIana(clean.replace(/ \d+$/, ''))[0];
  if (windows) return windows;
  const lower = clean.toLowerCase();
  const display = displayNames.find(([name]) => lower.includes(name));
  if (display) return display[1];
  const m = offsetName.exec(clean);
  if (m) {
    const hours = Number(m[2]);
    const minutes = Number(m[3]);
    return `UTC${m[1]}${hours}${minutes ? `:${String(minutes).padStart(2, '0')}` : ''}`;
  }
  return undefined;
}

/** A stable key for an event without UID: its start, organizer and summary. */
function uidless(component: ICAL.Component): string {
  const parts = ['dtstart', 'organizer', 'summary'].map((p) =>
    String(component.getFirstProperty(p)?.toICALString() ?? ''),
  );
  return `no-uid:${createHash('sha1').update(parts.join('\n')).digest('base64url')}`;
}

/** Epoch ms for an iCalendar time: UTC, the file's VTIMEZONE, an IANA/Windows name, or the default zone. */
function toEpoch(t: ICAL.Time, zones: Zones, defaultZone: string, tzidHint?: string | null): number {
  const wall = { year: t.year, month: t.month, day: t.day, hour: t.hour, minute: t.minute, second: t.second };
  // Occurrences from the iterator can lose the TZID of a zone the file does not define: the
  // property's TZID parameter (the hint) restores it.
  const own =
    (t as unknown as { timezone?: string }).timezone ??
    (t.zone?.tzid === 'floating' ? undefined : t.zone?.tzid);
  const tzid = own ?? tzidHint ?? undefined;
  if (tzid === 'UTC' || tzid === 'Z' || t.zone === ICAL.Timezone.utcTimezone) {
    return Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
  }
  if (!t.isDate && tzid && tzid !== 'floating') {
    const fileZone = zones.file.get(tzid);
    if (fileZone) {
      try {
        const offset = fileZone.utcOffset(t);
        if (Number.isFinite(offset))
          return Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second) - offset * 1000;
      } catch {
        zones.warnings.add(`broken VTIMEZONE ${tzid}; used its name instead`);
      }
    }
    const iana = resolveZoneName(tzid);
    if (iana) return DateTime.fromObject(wall, { zone: iana }).toMillis();
    zones.warnings.add(`unknown time zone "${tzid}"; read in ${defaultZone}`);
  }
  return DateTime.fromObject(wall, { zone: defaultZone }).toMillis();
}

const uriValue = (value: string): { email?: string; phone?: string } => {
  const v = value.trim();
  if (/^mailto:/i.test(v)) return { email: v.replace(/^mailto:/i, '') };
  if (/^tel:/i.test(v)) return { phone: v.replace(/^tel:/i, '') };
  if (v.includes('@')) return { email: v };
  return {};
};

const responses = new Set(['accepted', 'declined', 'tentative', 'needs-action', 'delegated']);

function participantsOf(event: ICAL.Component): CapturedParticipant[] {
  const out: CapturedParticipant[] = [];
  const organizer = event.getFirstProperty('organizer');
  if (organizer) {
    const who = uriValue(String(organizer.getFirstValue() ?? ''));
    if (who.email || who.phone) out.push({ role: 'organizer', ...who, name: paramText(organizer, 'cn') });
  }
  for (const attendee of event.getAllProperties('attendee')) {
    const who = uriValue(String(attendee.getFirstValue() ?? ''));
    if (!who.email && !who.phone) continue;
    const partstat = paramText(attendee, 'partstat')?.toLowerCase();
    out.push({
      role: 'attendee',
      ...who,
      name: paramText(attendee, 'cn'),
      response: partstat && responses.has(partstat) ? (partstat as CapturedParticipant['response']) : null,
    });
  }
  return out;
}

function tzidOf(component: ICAL.Component, name: string): string | null {
  const prop = component.getFirstProperty(name);
  return prop ? paramText(prop, 'tzid') : null;
}

function paramText(prop: ICAL.Property, name: string): string | null {
  const value = prop.getParameter(name);
  const text = Array.isArray(value) ? value[0] : value;
  return typeof text === 'string' && text.trim() ? text.trim() : null;
}

/**
 * Reads one iCalendar text into meeting activities: each event, or each occurrence of a
 * recurring event within the window (RRULE, RDATE, EXDATE, RECURRENCE-ID overrides). Source key:
 * UID + recurrence id. Cancelled events keep disposition 'cancelled' (not a touch).
 */
export function* parseCalendar(input: {
  text: string;
  file: string;
  options: CalendarOptions;
}): Generator<CaptureEvent> {
  const { file } = input;
  let parsed: unknown;
  // A byte order mark before BEGIN:VCALENDAR (Windows exports) is not part of the calendar.
  const text = input.text.charCodeAt(0) === 0xfeff ? input.text.slice(1) : input.text;
  try {
    parsed = ICAL.parse(text);
  } catch (error) {
    // One broken line should not lose the whole file: parse each VEVENT on its own.
    yield* parseEventByEvent({ text, file, options: input.options, error: error as Error });
    return;
  }
  // Several VCALENDARs in one file parse to a list of components.
  const roots =
    Array.isArray(parsed) && Array.isArray(parsed[0]) ? (parsed as unknown[][]) : [parsed as unknown[]];
  for (const jcal of roots) {
    try {
      for (const event of parseRoot({ root: new ICAL.Component(jcal), file, options: input.options }))
        yield event;
    } catch (error) {
      yield { rejection: { file, reason: `unreadable calendar: ${(error as Error).message}` } };
    }
  }
}

function* parseEventByEvent(input: {
  text: string;
  file: string;
  options: CalendarOptions;
  error: Error;
}): Generator<CaptureEvent> {
  const lines = input.text.split(/\r?\n/);
  const timezones = [...input.text.matchAll(/^BEGIN:VTIMEZONE[\s\S]*?^END:VTIMEZONE\r?$/gm)]
    .map((m) => m[0])
    .join('\n');
  let start = -1;
  let found = 0;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] === 'BEGIN:VEVENT') start = i;
    else if (lines[i] === 'END:VEVENT' && start >= 0) {
      found++;
      const text = [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        timezones,
        ...lines.slice(start, i + 1),
        'END:VCALENDAR',
      ]
        .filter(Boolean)
        .join('\n');
      try {
        const root = new ICAL.Component(ICAL.parse(text) as unknown[]);
        yield* parseRoot({ root, file: input.file, options: input.options });
      } catch (error) {
        yield {
          rejection: {
            file: input.file,
            line: start + 1,
            reason: `unparseable event: ${(error as Error).message}`,
          },
        };
      }
      start = -1;
    }
  }
  if (found === 0)
    yield { rejection: { file: input.file, reason: `unparseable calendar: ${input.error.message}` } };
}

function* parseRoot(input: {
  root: ICAL.Component;
  file: string;
  options: CalendarOptions;
}): Generator<CaptureEvent> {
  const { root, file, options } = input;
  const zones: Zones = { file: new Map(), warnings: new Set() };
  for (const vtz of root.getAllSubcomponents('vtimezone')) {
    try {
      const tz = new ICAL.Timezone(vtz);
      if (tz.tzid) zones.file.set(tz.tzid, tz);
    } catch (error) {
      zones.warnings.add(`broken VTIMEZONE: ${(error as Error).message}`);
    }
  }
  const method = String(root.getFirstPropertyValue('method') ?? '').toUpperCase();
  const events = root.name === 'vevent' ? [root] : root.getAllSubcomponents('vevent');
  const masters = new Map<string, ICAL.Event>();
  const overrides: ICAL.Component[] = [];
  for (const component of events) {
    if (component.hasProperty('recurrence-id')) overrides.push(component);
    else {
      const uid = String(component.getFirstPropertyValue('uid') ?? '') || uidless(component);
      try {
        masters.set(uid, new ICAL.Event(component));
      } catch (error) {
        yield { rejection: { file, record: uid, reason: `unreadable event: ${(error as Error).message}` } };
      }
    }
  }
  const orphanOverrides: ICAL.Component[] = [];
  for (const component of overrides) {
    const master = masters.get(String(component.getFirstPropertyValue('uid') ?? ''));
    try {
      if (master) master.relateException(component);
      else orphanOverrides.push(component);
    } catch {
      orphanOverrides.push(component);
    }
  }
  const max = options.maxOccurrences ?? 1000;
  for (const [uid, event] of masters) {
    try {
      if (!event.startDate) {
        yield { rejection: { file, record: uid, reason: 'event has no DTSTART' } };
        continue;
      }
      if (event.isRecurring()) {
        let count = 0;
        for (const step of recurrenceSet(event)) {
          // An RDATE;VALUE=PERIOD occurrence comes as a period: it starts at its start and ends at
          // its own end (or start + duration), not after the event's duration.
          const period = step instanceof ICAL.Period ? step : null;
          const next = period ? period.start : (step as ICAL.Time);
          const startMs = toEpoch(next, zones, options.defaultZone, tzidOf(event.component, 'dtstart'));
          if (startMs > options.to) break;
          if (++count > 100_000) break;
          if (startMs < options.from) continue;
          const details = event.getOccurrenceDetails(next);
          const occurrence = details.item;
          yield* occurrenceActivity({
            uid,
            recurrenceId: next.toString(),
            component: occurrence.component,
            start: details.startDate,
            end: period ? period.getEnd() : details.endDate,
            method,
            file,
            zones,
            options,
          });
          if (count >= max) {
            zones.warnings.add(`event ${uid}: stopped after ${max} occurrences`);
            break;
          }
        }
      } else {
        yield* occurrenceActivity({
          uid,
          recurrenceId: null,
          component: event.component,
          start: event.startDate,
          end: event.endDate,
          method,
          file,
          zones,
          options,
        });
      }
    } catch (error) {
      yield { rejection: { file, record: uid, reason: `unreadable event: ${(error as Error).message}` } };
    }
  }
  for (const component of orphanOverrides) {
    try {
      const event = new ICAL.Event(component);
      const uid = event.uid ?? 'no-uid';
      yield* occurrenceActivity({
        uid,
        recurrenceId: event.recurrenceId?.toString() ?? null,
        component,
        start: event.startDate,
        end: event.endDate,
        method,
        file,
        zones,
        options,
      });
    } catch (error) {
      yield { rejection: { file, reason: `unreadable override: ${(error as Error).message}` } };
    }
  }
  for (const warning of zones.warnings)
    if (!warning.startsWith('no-participants ')) yield { warning: { file, reason: warning } };
}

function* occurrenceActivity(input: {
  uid: string;
  recurrenceId: string | null;
  component: ICAL.Component;
  start: ICAL.Time;
  end: ICAL.Time | null;
  method: string;
  file: string;
  zones: Zones;
  options: CalendarOptions;
}): Generator<CaptureEvent> {
  const { component, file } = input;
  const participants = participantsOf(component);
  const record = input.recurrenceId ? `${input.uid} ${input.recurrenceId}` : input.uid;
  if (participants.length === 0) {
    // Reported once per event, not once per occurrence.
    if (!input.zones.warnings.has(`no-participants ${input.uid}`)) {
      input.zones.warnings.add(`no-participants ${input.uid}`);
      yield { rejection: { file, record, reason: 'event has no organizer or attendees' } };
    }
    return;
  }
  const startZone = tzidOf(component, 'dtstart');
  const occurredAt = toEpoch(input.start, input.zones, input.options.defaultZone, startZone);
  const allDay = input.start.isDate;
  const endedAt = input.end
    ? toEpoch(input.end, input.zones, input.options.defaultZone, tzidOf(component, 'dtend') ?? startZone)
    : null;
  const status = String(component.getFirstPropertyValue('status') ?? '').toLowerCase();
  const cancelled = status === 'cancelled' || input.method === 'CANCEL';
  const summary = component.getFirstPropertyValue('summary');
  const activity: CapturedActivity = {
    kind: 'meeting',
    occurredAt,
    endedAt,
    // All-day events are not counted as a day of effort: only the allowance.
    durationSeconds: allDay ? 0 : endedAt !== null ? Math.max(0, (endedAt - occurredAt) / 1000) : null,
    source: 'calendar',
    sourceKey: `${input.uid}|${input.recurrenceId ?? ''}`.slice(0, 500),
    threadKey: input.uid.slice(0, 998),
    subject: typeof summary === 'string' ? summary.slice(0, 998) : null,
    disposition: cancelled ? 'cancelled' : status || null,
    participants,
    origin: {
      file,
      uid: input.uid,
      ...(input.recurrenceId ? { recurrence_id: input.recurrenceId } : {}),
      ...(allDay ? { all_day: 1 } : {}),
    },
  };
  yield { activity };
}

/** Reads .ics files into capture events; a broken file is one rejection, the rest go on. */
export async function* readCalendars(input: {
  paths: string[];
  options: CalendarOptions;
}): AsyncGenerator<CaptureEvent> {
  for await (const file of calendarFiles(input.paths)) {
    if (typeof file !== 'string') {
      yield file;
      continue;
    }
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      yield { rejection: { file, reason: `unreadable: ${(error as Error).message}` } };
      continue;
    }
    yield* parseCalendar({ text, file, options: input.options });
  }
}

/**
 * The calendar files to read: each path that is a file, and the `.ics` files under each folder (an
 * export of many calendars). A folder with none is reported, as an unreadable file is.
 */
async function* calendarFiles(paths: readonly string[]): AsyncGenerator<string | { rejection: Rejection }> {
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info?.isDirectory()) {
      yield path;
      continue;
    }
    let found = 0;
    for await (const file of walkFiles(path)) {
      if (!/\.ics$/i.test(file)) continue;
      found += 1;
      yield file;
    }
    if (found === 0) yield { rejection: { file: path, reason: 'a folder with no .ics files' } };
  }
}

/**
 * The starts of a recurring event's instances in order, as ical.js's iterator gives them (a time,
 * or a period for RDATE;VALUE=PERIOD), plus DTSTART for an event with RDATEs and no RRULE: RFC 5545
 * makes DTSTART the first instance of every recurrence set, and the iterator leaves it out when
 * there is no rule (unless an RDATE repeats it or an EXDATE removes it).
 */
function* recurrenceSet(event: ICAL.Event): Generator<ICAL.Time | ICAL.Period> {
  const component = event.component;
  let start: ICAL.Time | null =
    component.hasProperty('rdate') && !component.hasProperty('rrule') ? event.startDate : null;
  if (start && isExcluded(component, start)) start = null;
  const iterator = event.iterator();
  for (let step = iterator.next(); step; step = iterator.next()) {
    const value = step as ICAL.Time | ICAL.Period;
    const at = value instanceof ICAL.Period ? value.start : value;
    if (start) {
      const order = start.compare(at);
      if (order < 0) yield start;
      if (order <= 0) start = null; // an RDATE equal to DTSTART is that instance
    }
    yield value;
  }
  if (start) yield start;
}

/** Whether an EXDATE of `component` removes the instance starting at `start` (a DATE removes its day). */
function isExcluded(component: ICAL.Component, start: ICAL.Time): boolean {
  for (const property of component.getAllProperties('exdate')) {
    for (const value of property.getValues() as ICAL.Time[]) {
      if (value.isDate) {
        if (value.year === start.year && value.month === start.month && value.day === start.day) return true;
      } else if (value.compare(start) === 0) return true;
    }
  }
  return false;
}

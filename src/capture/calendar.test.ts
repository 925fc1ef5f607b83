import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../store/open-store.ts';
import { testEngines } from '../testing/engines.ts';
import { sharedDataDir, sharedDataPath } from '../testing/shared-data.ts';
import type { CapturedActivity } from './activity.ts';
import { parseCalendar, readCalendars, resolveZoneName } from './calendar.ts';
import { runCapture } from './capture-run.ts';

const window = { from: Date.UTC(1990, 0, 1), to: Date.UTC(2030, 0, 1), defaultZone: 'UTC' };

/** The corpus files have no organizer; the tests add one so each event is a meeting. */
function meetings(path: string, options = window): CapturedActivity[] {
  const text = readFileSync(path, 'utf8').replace(
    /^BEGIN:VEVENT\r?$/gm,
    (m) => `${m}\nORGANIZER:mailto:organizer@example.com`,
  );
  return [...parseCalendar({ text, file: path, options })].flatMap((e) =>
    'activity' in e ? [e.activity] : [],
  );
}

describe('time zone names', () => {
  it.each([
    ['Europe/Berlin', 'Europe/Berlin'],
    ['W. Europe Standard Time', 'Europe/Berlin'],
    ['Pacific Standard Time', 'America/Los_Angeles'],
    ['(UTC-05:00) Eastern Time (US & Canada)', 'America/New_York'],
    ['(GMT+10:00) Canberra, Melbourne, Sydney', 'Australia/Sydney'],
    ['(UTC+03:00) Somewhere Unlisted', 'UTC+3'],
    ['tzone://Microsoft/Custom', undefined],
  ])('%s → %s', (tzid, iana) => expect(resolveZoneName(tzid)).toBe(iana));
});

describe.skipIf(!sharedDataDir)('recurrence and zones on hand-verified corpus files', () => {
  const ics = (p: string) => sharedDataPath('ics_test_corpora', p);

  it('RRULE COUNT=4 with a DATE EXDATE: 3 occurrences (rdate_exdate.ics)', () => {
    expect(
      meetings(ics('ical.js/samples/rdate_exdate.ics')).map((m) => new Date(m.occurredAt).toISOString()),
    ).toEqual(['2024-06-09T03:00:00.000Z', '2024-06-10T03:00:00.000Z', '2024-06-12T03:00:00.000Z']);
  });

  it('monthly 1st Tuesday until Dec 2012 + 2 RDATEs across the DST change: 5 (recur_instances_finite.ics)', () => {
    const starts = meetings(ics('ical.js/samples/recur_instances_finite.ics')).map((m) =>
      new Date(m.occurredAt).toISOString(),
    );
    // 10:00 America/Los_Angeles: PDT (UTC-7) on Oct 2, PST (UTC-8) after Nov 4.
    expect(starts).toEqual([
      '2012-10-02T17:00:00.000Z',
      '2012-11-05T18:00:00.000Z',
      '2012-11-06T18:00:00.000Z',
      '2012-11-10T18:00:00.000Z',
      '2012-12-04T18:00:00.000Z',
    ]);
  });

  it('DAILY COUNT=10, two EXDATEs and a RECURRENCE-ID override: 8, the override moved (daily-count-exdate-recurrence-id.ics)', () => {
    const list = meetings(ics('node-ical/test/fixtures/daily-count-exdate-recurrence-id.ics'));
    expect(list).toHaveLength(8);
    const moved = list.find((m) => m.sourceKey === '0000001|2015-07-07T12:00:00');
    // Moved to Jul 9 15:00 PDT.
    expect(moved?.occurredAt).toBe(Date.UTC(2015, 6, 9, 22, 0));
    expect(new Set(list.map((m) => m.sourceKey)).size).toBe(8);
  });

  it('recurrences are expanded only inside the window', () => {
    const list = meetings(ics('ical.js/samples/recur_instances_finite.ics'), {
      ...window,
      from: Date.UTC(2012, 10, 1),
      to: Date.UTC(2012, 10, 30),
    });
    expect(list).toHaveLength(3);
  });

  it('Exchange zone names (ms_timezones.ics) and Outlook display names (Office-2012-owa.ics)', () => {
    const exchange = meetings(ics('node-ical/test/fixtures/ms_timezones.ics'));
    // 09:00 W. Europe Standard Time in September = 07:00 UTC; 08:30 Pacific Standard Time = 15:30 UTC.
    expect(exchange[0]?.occurredAt).toBe(Date.UTC(2020, 8, 10, 7, 0));
    expect(exchange.some((m) => m.occurredAt === Date.UTC(2020, 8, 15, 15, 30))).toBe(true);
    const owa = meetings(ics('node-ical/test/fixtures/Office-2012-owa.ics'));
    // 13:30 Sydney (AEDT, UTC+11) on Oct 28 2020; 13:30 New York (EDT) the same day.
    expect(owa[0]?.occurredAt).toBe(Date.UTC(2020, 9, 28, 2, 30));
    expect(owa[1]?.occurredAt).toBe(Date.UTC(2020, 9, 28, 17, 30));
  });

  it('all-day events start at midnight in the default zone and count no duration', () => {
    const list = meetings(ics('ical.js/samples/day_long_recur_yearly.ics'), {
      ...window,
      to: Date.UTC(2014, 0, 1),
    });
    expect(list.length).toBeGreaterThan(0);
    for (const m of list) {
      expect(m.durationSeconds).toBe(0);
      expect(new Date(m.occurredAt).getUTCHours()).toBe(0);
    }
  });
});

const invite = (body: string) => `BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:test\n${body}\nEND:VCALENDAR\n`;

describe('calendar input as exported', () => {
  const calendar = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Gleaner tests//EN',
    'BEGIN:VEVENT',
    'UID:period-1',
    'DTSTAMP:20260101T000000Z',
    'DTSTART:20260105T100000Z',
    'DURATION:PT1H',
    'RDATE;VALUE=PERIOD:20260110T100000Z/20260110T120000Z,20260112T090000Z/PT30M',
    'ORGANIZER:mailto:rep@ours.example',
    'ATTENDEE:mailto:lead@client.example',
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
  const read = (text: string) =>
    [...parseCalendar({ text, file: 'period.ics', options: window })].map((e) =>
      'activity' in e
        ? `${new Date(e.activity.occurredAt).toISOString()} ${e.activity.durationSeconds}s`
        : JSON.stringify(e),
    );
  const expected = [
    '2026-01-05T10:00:00.000Z 3600s',
    '2026-01-10T10:00:00.000Z 7200s',
    '2026-01-12T09:00:00.000Z 1800s',
  ];

  it('RDATE;VALUE=PERIOD: each occurrence starts at its period and lasts its own length', () => {
    expect(read(calendar)).toEqual(expected);
  });

  it('RDATEs without an RRULE: DTSTART is the first instance, once, unless an EXDATE removes it', () => {
    const plain = calendar.replace(/RDATE;VALUE=PERIOD:[^\r]*/, 'RDATE:20260105T100000Z,20260112T090000Z');
    expect(read(plain)).toEqual(['2026-01-05T10:00:00.000Z 3600s', '2026-01-12T09:00:00.000Z 3600s']);
    const excluded = calendar.replace('DURATION:PT1H', 'DURATION:PT1H\r\nEXDATE:20260105T100000Z');
    expect(read(excluded)).toEqual(expected.slice(1));
  });

  it('a byte order mark before BEGIN:VCALENDAR (Windows exports) is read past', () => {
    expect(read(`\ufeff${calendar}`)).toEqual(expected);
  });

  it('a folder is read as the .ics files under it (any case, subfolders too); one with none is reported', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gleaner-calendars-'));
    try {
      mkdirSync(join(dir, 'team'));
      mkdirSync(join(dir, 'empty'));
      writeFileSync(join(dir, 'a.ics'), calendar);
      writeFileSync(join(dir, 'team', 'b.ICS'), calendar.replace('UID:period-1', 'UID:period-2'));
      writeFileSync(join(dir, 'notes.txt'), 'not a calendar');
      const events = [];
      for await (const e of readCalendars({ paths: [dir, join(dir, 'empty')], options: window }))
        events.push(e);
      const uids = events.flatMap((e) => ('activity' in e ? [e.activity.sourceKey.split(':')[0]] : []));
      expect(uids.length).toBe(6);
      expect(new Set(events.flatMap((e) => ('activity' in e ? [e.activity.source] : [])))).toEqual(
        new Set(['calendar']),
      );
      expect(events.filter((e) => 'rejection' in e)).toEqual([
        { rejection: { file: join(dir, 'empty'), reason: 'a folder with no .ics files' } },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.each(testEngines())('meetings stored on $name', (engine) => {
  let store: Store;
  beforeAll(async () => {
    store = await engine.open();
    const now = Date.now();
    await store.db
      .insertInto('reps')
      .values({ external_id: 'r', name: 'Rep', email: 'rep@ours.com', created_at: now, updated_at: now })
      .execute();
    await store.db
      .insertInto('leads')
      .values([
        { external_id: 'a', email: 'ann@acme.com', status: 'working', created_at: now, updated_at: now },
        { external_id: 'b', email: 'bob@beta.com', status: 'working', created_at: now, updated_at: now },
      ])
      .execute();
  });
  afterAll(() => store.close());

  it('cancelled events and declined attendees are not touches; re-capture adds nothing', async () => {
    const text = invite(
      [
        'BEGIN:VEVENT\nUID:weekly-1\nDTSTART;TZID=Europe/Berlin:20260105T100000\nDTEND;TZID=Europe/Berlin:20260105T103000\nRRULE:FREQ=WEEKLY;COUNT=3\nEXDATE;TZID=Europe/Berlin:20260112T100000\nORGANIZER;CN=Rep:mailto:rep@ours.com\nATTENDEE;PARTSTAT=ACCEPTED:mailto:ann@acme.com\nEND:VEVENT',
        'BEGIN:VEVENT\nUID:cancelled-1\nSTATUS:CANCELLED\nDTSTART:20260110T090000Z\nDURATION:PT1H\nORGANIZER:mailto:rep@ours.com\nATTENDEE;PARTSTAT=ACCEPTED:mailto:ann@acme.com\nEND:VEVENT',
        'BEGIN:VEVENT\nUID:declined-1\nDTSTART:20260111T090000Z\nDURATION:PT1H\nORGANIZER:mailto:rep@ours.com\nATTENDEE;PARTSTAT=DECLINED:mailto:bob@beta.com\nEND:VEVENT',
      ].join('\n'),
    );
    const capture = () =>
      runCapture({ db: store.db, events: parseCalendar({ text, file: 'inline.ics', options: window }) });
    const first = await capture();
    expect(first).toMatchObject({ read: 4, captured: 4 });
    const rows = await store.db
      .selectFrom('activities')
      .select(['source_key', 'is_touch', 'lead_id', 'duration_seconds', 'effort_minutes', 'disposition'])
      .orderBy('occurred_at')
      .execute();
    expect(rows.map((r) => [r.source_key, r.is_touch])).toEqual([
      ['weekly-1|2026-01-05T10:00:00', 1],
      ['cancelled-1|', 0],
      ['declined-1|', 0],
      ['weekly-1|2026-01-19T10:00:00', 1],
    ]);
    // 60 min DURATION + 10 min meeting allowance.
    expect(rows[1]).toMatchObject({ duration_seconds: 3600, effort_minutes: 70, disposition: 'cancelled' });
    const ann = await store.db
      .selectFrom('lead_stats')
      .selectAll()
      .innerJoin('leads', 'leads.id', 'lead_stats.lead_id')
      .where('leads.external_id', '=', 'a')
      .executeTakeFirstOrThrow();
    expect(ann).toMatchObject({ touches: 2, meetings: 2, first_touch_at: Date.UTC(2026, 0, 5, 9, 0) });
    expect((await capture()).duplicates).toBe(4);
  });
});

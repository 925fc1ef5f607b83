import { describe, expect, it } from 'vitest';
import { addBusinessTime, type BusinessCalendar, businessTimeBetween } from './business-hours.ts';

const H = 3_600_000;
const cal = (timeZone: string, extra: Partial<BusinessCalendar> = {}): BusinessCalendar => ({
  timeZone,
  workingDays: [1, 2, 3, 4, 5],
  startMinute: 9 * 60,
  endMinute: 17 * 60,
  holidays: [],
  ...extra,
});
const utc = (iso: string) => Date.parse(iso);

describe('addBusinessTime', () => {
  it.each([
    ['within one day', cal('UTC'), '2026-01-05T10:00:00Z', 3, '2026-01-05T13:00:00Z'],
    ['before opening starts at opening', cal('UTC'), '2026-01-05T06:00:00Z', 1, '2026-01-05T10:00:00Z'],
    ['after closing rolls to the next day', cal('UTC'), '2026-01-05T18:00:00Z', 1, '2026-01-06T10:00:00Z'],
    ['ending exactly at closing', cal('UTC'), '2026-01-05T09:00:00Z', 8, '2026-01-05T17:00:00Z'],
    ['Friday afternoon skips the weekend', cal('UTC'), '2026-01-09T16:00:00Z', 2, '2026-01-12T10:00:00Z'],
    ['Saturday start waits for Monday', cal('UTC'), '2026-01-10T12:00:00Z', 8, '2026-01-12T17:00:00Z'],
    ['multi-day span', cal('UTC'), '2026-01-05T09:00:00Z', 24, '2026-01-07T17:00:00Z'],
    // Berlin springs forward on Sunday 2026-03-29: Friday is UTC+1, Monday UTC+2.
    ['Berlin across spring DST', cal('Europe/Berlin'), '2026-03-27T15:00:00Z', 2, '2026-03-30T08:00:00Z'],
    // New York falls back on Sunday 2026-11-01: Friday is UTC-4, Monday UTC-5.
    [
      'New York across autumn DST',
      cal('America/New_York'),
      '2026-10-30T20:30:00Z',
      1,
      '2026-11-02T14:30:00Z',
    ],
    ['Tokyo hours in UTC', cal('Asia/Tokyo'), '2026-01-05T00:00:00Z', 8, '2026-01-05T08:00:00Z'],
    [
      'holiday and weekend skipped',
      cal('UTC', { holidays: ['2026-12-25'] }),
      '2026-12-24T16:00:00Z',
      2,
      '2026-12-28T10:00:00Z',
    ],
    [
      'year boundary with New Year holiday',
      cal('UTC', { holidays: ['2027-01-01'] }),
      '2026-12-31T16:00:00Z',
      2,
      '2027-01-04T10:00:00Z',
    ],
    [
      'Sunday–Thursday week (Dubai)',
      cal('Asia/Dubai', { workingDays: [7, 1, 2, 3, 4] }),
      '2026-01-08T12:00:00Z', // Thursday 16:00 local
      2,
      '2026-01-11T06:00:00Z', // Sunday 10:00 local
    ],
    ['zero duration inside hours is now', cal('UTC'), '2026-01-05T11:00:00Z', 0, '2026-01-05T11:00:00Z'],
  ])('%s', (_name, calendar, start, hours, expected) => {
    expect(new Date(addBusinessTime(utc(start), hours * H, calendar)).toISOString()).toBe(
      new Date(utc(expected)).toISOString(),
    );
  });
});

describe('businessTimeBetween', () => {
  it.each([
    ['same day', cal('UTC'), '2026-01-05T10:00:00Z', '2026-01-05T12:30:00Z', 2.5],
    ['over a weekend', cal('UTC'), '2026-01-09T16:00:00Z', '2026-01-12T10:00:00Z', 2],
    ['reversed is zero', cal('UTC'), '2026-01-05T12:00:00Z', '2026-01-05T10:00:00Z', 0],
    ['Berlin DST week', cal('Europe/Berlin'), '2026-03-27T15:00:00Z', '2026-03-30T08:00:00Z', 2],
  ])('%s', (_name, calendar, from, to, hours) => {
    expect(businessTimeBetween(utc(from), utc(to), calendar)).toBe(hours * H);
  });

  it('inverts addBusinessTime', () => {
    const c = cal('America/Los_Angeles', { holidays: ['2026-07-03'] });
    for (const start of [utc('2026-07-01T20:00:00Z'), utc('2026-03-06T23:59:00Z')]) {
      for (const hours of [1, 7.5, 30, 100]) {
        expect(businessTimeBetween(start, addBusinessTime(start, hours * H, c), c)).toBe(hours * H);
      }
    }
  });
});

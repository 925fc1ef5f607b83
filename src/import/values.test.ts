import { describe, expect, it } from 'vitest';
import {
  isBad,
  normaliseDomain,
  normaliseEmail,
  normalisePhone,
  parseBoolean,
  parseDate,
  parseNumber,
} from './values.ts';

const utc = (iso: string) => Date.parse(iso);

describe('parseDate', () => {
  it.each([
    ['2018-02-01', 'UTC', undefined, '2018-02-01T00:00:00Z'],
    ['2018-02-01', 'America/Sao_Paulo', undefined, '2018-02-01T02:00:00Z'], // BRST, UTC-2 in Feb 2018
    ['2018-03-06 19:38:55', 'America/Sao_Paulo', undefined, '2018-03-06T22:38:55Z'],
    ['2021-07-01T10:00:00+02:00', 'America/New_York', undefined, '2021-07-01T08:00:00Z'],
    ['2021-07-01T10:00:00.250Z', 'Asia/Tokyo', undefined, '2021-07-01T10:00:00.250Z'],
    ['2021-07-01 10:00', 'Europe/Berlin', undefined, '2021-07-01T08:00:00Z'],
    ['15 Apr, 2021 00:03:00', 'UTC', ['d MMM, yyyy HH:mm:ss'], '2021-04-15T00:03:00Z'],
    ['3/4/2021', 'UTC', ['M/d/yyyy'], '2021-03-04T00:00:00Z'],
    ['3/4/2021', 'UTC', ['d/M/yyyy'], '2021-04-03T00:00:00Z'],
    ['3/4/2021, 5:07 PM', 'America/Los_Angeles', ['M/d/yyyy, h:mm a'], '2021-03-05T01:07:00Z'],
  ])('%s in %s with %j → %s', (text, zone, formats, iso) => {
    expect(parseDate(text, { zone, ...(formats ? { formats } : {}) })).toBe(utc(iso));
  });

  it('never guesses an ambiguous day/month order', () => {
    const v = parseDate('03/04/2021', { zone: 'UTC' });
    expect(isBad(v) && v.bad).toContain('ambiguous');
  });

  it.each([
    ['2021-02-30', 'not a valid date'],
    ['yesterday', 'not an ISO 8601 date'],
  ])('rejects %s', (text, reason) => {
    const v = parseDate(text, { zone: 'UTC' });
    expect(isBad(v) && v.bad).toContain(reason);
  });

  it('rejects a value that does not match the mapping format', () => {
    const v = parseDate('2021/13/45', { zone: 'UTC', formats: ['M/d/yyyy'] });
    expect(isBad(v) && v.bad).toContain('does not match the date format M/d/yyyy');
  });
});

describe('parseNumber', () => {
  it.each([
    ['$22,700.00', {}, 22700],
    ['22700', {}, 22700],
    ['(1,500.5)', {}, -1500.5],
    ['€ 1.234,50', { decimal: ',' as const }, 1234.5],
    ['USD 99.90', {}, 99.9],
    ['0.0', {}, 0],
    ['007', {}, 7],
    [' -5 ', {}, -5],
    ['1.50', {}, 1.5],
    ['1.234', { decimal: ',' as const }, 1234],
    ['12,5', { decimal: ',' as const }, 12.5],
    ['-12', { decimal: ',' as const }, -12],
  ])('%s → %d', (text, options, n) => {
    expect(parseNumber(text, options)).toBe(n);
  });
  it('rejects words', () => expect(isBad(parseNumber('lots'))).toBe(true));
});

describe('parseBoolean', () => {
  it.each([
    ['Yes', 1],
    ['no', 0],
    ['1', 1],
    ['0', 0],
    ['TRUE', 1],
    ['false', 0],
  ])('%s → %d', (text, v) => expect(parseBoolean(text)).toBe(v));
  it('rejects maybe', () => expect(isBad(parseBoolean('maybe'))).toBe(true));
});

describe('identities', () => {
  it('normalises e-mail, phone and domain', () => {
    expect(normaliseEmail('Jane Doe <Jane.Doe@ACME.com>')).toBe('jane.doe@acme.com');
    expect(normalisePhone('(415) 555-0132')).toBe('+14155550132');
    expect(normalisePhone('+49 30 901820')).toBe('+4930901820');
    expect(normaliseDomain('https://www.Acme.com/about')).toBe('acme.com');
    expect(normaliseDomain('sales@acme.co.uk')).toBe('acme.co.uk');
    expect(normaliseDomain('acme.com:8080/x?y#z')).toBe('acme.com');
    expect(normaliseDomain('acme.com#top')).toBe('acme.com');
    expect(isBad(normaliseDomain('https://'))).toBe(true);
    expect(isBad(normaliseEmail('not-an-address'))).toBe(true);
  });
});

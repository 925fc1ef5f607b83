import { describe, expect, it } from 'vitest';
import { normaliseDomain, normaliseEmail, parseIsoDate, parseIsoDateByPattern } from './values.ts';

// The shortcuts for the cells most files hold (UTC timestamps, bare domains, plain addresses) must
// give what the general paths give.

describe('parseIsoDate fast path', () => {
  it('reads UTC timestamps exactly as the ISO pattern does, valid or not', () => {
    // Seeded, so a failure repeats.
    let seed = 12345;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const pad = (n: number, w: number) => String(n).padStart(w, '0');
    const cases = [
      '2025-07-12T04:57:02.410Z',
      '2025-07-12T04:57:02Z',
      '2024-02-29T23:59:59.999Z',
      '2026-02-29T00:00:00.000Z',
      '2026-02-30T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-00-01T00:00:00Z',
      '2026-01-01T24:00:00Z',
      '2026-01-01T23:60:00Z',
      '2026-01-01T23:59:60Z',
      '0099-01-01T00:00:00Z',
      '2026-01-01T00:00:00.5Z',
      '2026-01-01T00:00:00,123Z',
      '2026-01-01 00:00:00.123Z',
      '2026-01-01T00:00:00.12aZ',
      '2026-1a-01T00:00:00.123Z',
      '2026-01-01T00:00:00.123+02:00',
    ];
    for (let i = 0; i < 5000; i++) {
      const ms = rand(3) === 0 ? '' : `.${pad(rand(1000), 3)}`;
      cases.push(
        `${pad(rand(3000), 4)}-${pad(rand(14), 2)}-${pad(rand(33), 2)}T${pad(rand(26), 2)}:${pad(rand(62), 2)}:${pad(rand(62), 2)}${ms}Z`,
      );
    }
    for (const text of cases) {
      for (const zone of ['UTC', 'Europe/Berlin'])
        expect([text, parseIsoDate(text, zone)]).toEqual([text, parseIsoDateByPattern(text, zone)]);
    }
    expect(parseIsoDate('2025-07-12T04:57:02.410Z', 'UTC')).toBe(Date.parse('2025-07-12T04:57:02.410Z'));
  });
});

describe('normaliseDomain and normaliseEmail on plain cells', () => {
  it.each([
    ['acme.com', 'acme.com'],
    ['www.acme.com', 'acme.com'],
    ['ACME.com', 'acme.com'],
    [' sub.acme-x.co.uk ', 'sub.acme-x.co.uk'],
    ['www.com', { bad: '"www.com" is not a domain' }],
  ])('normaliseDomain(%j) = %j', (text, want) => {
    expect(normaliseDomain(text)).toEqual(want);
  });
  it.each([
    ['Jane.Doe@ACME.com', 'jane.doe@acme.com'],
    ['Jane <jane@acme.com>', 'jane@acme.com'],
    ['jane@acme', { bad: '"jane@acme" is not an e-mail address' }],
  ])('normaliseEmail(%j) = %j', (text, want) => {
    expect(normaliseEmail(text)).toEqual(want);
  });
});

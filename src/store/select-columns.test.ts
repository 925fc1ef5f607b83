import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../testing/engines.ts';
import type { Store } from './open-store.ts';
import { byteDictionary, jsonTextCodes, parseNumberList, selectColumns } from './select-columns.ts';

// Reals that must come back as the very same double: whole and fractional, zero, past 2^53, tiny and
// huge, and nulls. (-0 is not in the list: neither engine stores it apart from 0.)
const scores = [
  0,
  1.5,
  42,
  -7,
  0.1 + 0.2,
  123456789.12345679,
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 60),
  1e20,
  1e-300,
  5e-324,
  Number.MAX_VALUE,
  null,
  99.99999999999999,
  1 / 3,
];

describe.each(testEngines())('selectColumns on $name', (engine) => {
  let store: Store;
  beforeAll(async () => {
    store = await engine.open();
    await store.db
      .insertInto('leads')
      .values(
        scores.map((score, i) => ({
          id: i + 1,
          external_id: `S${i + 1}`,
          status: 'mql',
          score,
          created_at: i,
          updated_at: i,
        })),
      )
      .execute();
  });
  afterAll(async () => {
    await store.close();
  });

  it.each([2, 5, 1000])('reads every real exactly, paged %i rows at a time', async (pageSize) => {
    const cols = await selectColumns(store.db, {
      page: (after) =>
        store.db.selectFrom('leads').select(['id', 'score', 'external_id']).where('id', '>', after),
      columns: { id: 'int', score: 'real', external_id: 'text' },
      orderBy: 'id',
      pageSize,
    });
    expect(cols.id.map(Number)).toEqual(scores.map((_, i) => i + 1));
    expect(cols.external_id).toEqual(scores.map((_, i) => `S${i + 1}`));
    // Bit-for-bit what was written.
    cols.score.forEach((v, i) => {
      expect([i, v === null ? null : Number(v), Object.is(v === null ? null : Number(v), scores[i])]).toEqual(
        [i, scores[i], true],
      );
    });
  });

  it.runIf(engine.name === 'sqlite')(
    'reads text in a number column as null (SQLite keeps what it is given)',
    async () => {
      await sql`update leads set employees = case id when 1 then 'many, really' when 2 then '' when 3 then x'0102' else 12 end`.execute(
        store.db,
      );
      const cols = await selectColumns(store.db, {
        page: (after) => store.db.selectFrom('leads').select(['id', 'employees']).where('id', '>', after),
        columns: { id: 'int', employees: 'real' },
        orderBy: 'id',
        pageSize: 3,
      });
      expect(cols.employees.slice(0, 5)).toEqual([null, null, null, 12, 12]);
    },
  );
});

describe('parseNumberList', () => {
  it.each([
    ['', 1, [Number.NaN]],
    ['7', 1, [7]],
    ['1,-2,,3.5', 4, [1, -2, Number.NaN, 3.5]],
    [',', 2, [Number.NaN, Number.NaN]],
    ['123456789012345,1234567890123456789', 2, [123456789012345, Number('1234567890123456789')]],
    ['-9007199254740993,9007199254740992.0', 2, [-9007199254740992, 2 ** 53]],
    ['4.9406564584124654e-324,1.7976931348623157e+308,-0.0', 3, [5e-324, Number.MAX_VALUE, -0]],
    ['0.30000000000000004,-', 2, [0.1 + 0.2, Number.NaN]],
  ])('reads %j as %i numbers', (text, rows, expected) => {
    const got = [...parseNumberList(new TextEncoder().encode(text), rows)];
    expect(got.map((v, i) => Object.is(v, expected[i]))).toEqual(expected.map(() => true));
  });

  it('refuses a page whose count of fields is not the count of rows', () => {
    expect(() => parseNumberList(new TextEncoder().encode('1,2,3'), 2)).toThrow(/expected 2 numbers/);
  });
});

describe('jsonTextCodes', () => {
  const texts = [
    'CEO',
    '',
    'say "hi"',
    'back\\slash',
    'Geschäftsführer',
    'tab\there',
    '\u0001',
    '😀 emoji',
    'CEO',
  ];
  it('codes each distinct string once, nulls as -1, across pages', () => {
    const strings: string[] = [];
    const lookup = byteDictionary();
    const code = (s: string) => strings.push(s) - 1;
    const page1 = [...texts, null];
    const codes1 = jsonTextCodes(new TextEncoder().encode(JSON.stringify(page1)), page1.length, lookup, code);
    expect([...codes1].map((c) => (c < 0 ? null : strings[c]))).toEqual(page1);
    // SQLite's own escaping (\u00e4 for ä would be another byte string of the same text: same code).
    const page2 = '[null,"CEO","Gesch\\u00e4ftsf\\u00fchrer",12]';
    const codes2 = jsonTextCodes(new TextEncoder().encode(page2), 4, lookup, code);
    expect([...codes2].map((c) => (c < 0 ? null : strings[c]))).toEqual([
      null,
      'CEO',
      'Geschäftsführer',
      '12',
    ]);
    expect(codes2[1]).toBe(codes1[0]);
    expect(strings.filter((s) => s === 'Geschäftsführer')).toHaveLength(2);
    expect(strings.filter((s) => s === 'CEO')).toHaveLength(1);
    // A number in a text column is coded as its text.
    expect(strings).toContain('12');
  });
  it('keeps up with many distinct strings (the table grows)', () => {
    const values = Array.from({ length: 5000 }, (_, i) => `value ${i % 3000}`);
    const strings: string[] = [];
    const codes = jsonTextCodes(
      new TextEncoder().encode(JSON.stringify(values)),
      values.length,
      byteDictionary(),
      (s) => strings.push(s) - 1,
    );
    expect([...codes].map((c) => strings[c])).toEqual(values);
    expect(strings).toHaveLength(3000);
  });
});

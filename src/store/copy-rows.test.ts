import { describe, expect, it } from 'vitest';
import { openTempPostgres } from '../testing/engines.ts';
import { copyField, copyRows } from './copy-rows.ts';

// COPY text format must carry every value as it is: escapes, the text "\N" (not NULL), empty text,
// unicode, numbers, NULL. Only a PostgreSQL server has COPY FROM STDIN (PGlite keeps unnest inserts).
const tricky = [
  'plain',
  '',
  ' leading and trailing ',
  'a,b',
  'say "hi"',
  'back\\slash',
  '\\N',
  'NULL',
  'tab\tand\nnewline\rreturn',
  'Zoë Müller ☃ 😀',
  '\u00a0nbsp',
  '\\.',
];

describe('copyField', () => {
  it.each([
    [null, '\\N'],
    [12.5, '12.5'],
    ['a\tb', 'a\\tb'],
    ['\\N', '\\\\N'],
    ['line\nbreak\r', 'line\\nbreak\\r'],
    ['plain', 'plain'],
  ])('%j → %j', (value, text) => {
    expect(copyField(value)).toBe(text);
  });
});

const serverUrl = process.env.TEST_DATABASE_URL;
describe.skipIf(!serverUrl)('copyRows on postgres', () => {
  it('round-trips every value inside the session transaction, and rolls back with it', async () => {
    const store = await openTempPostgres(serverUrl as string);
    const session = await store.openSession?.();
    if (!session) throw new Error('a PostgreSQL server store opens sessions');
    try {
      const rows = [
        ...tricky.map((value, i) => [`k${i}`, value, i, 0.5]),
        ['null', null, null, null],
        ...Array.from({ length: 9_876 }, (_, i) => [`n${i}`, `value ${i}`, 1_700_000_000_000 + i, i / 7]),
      ].map((r) => [...r, 'mql', 1, 2]);
      const input = {
        table: 'leads',
        columns: ['external_id', 'title', 'handed_over_at', 'score', 'status', 'created_at', 'updated_at'],
      };
      const read = () =>
        store.db
          .selectFrom('leads')
          .select(['external_id', 'title', 'handed_over_at', 'score', 'status', 'created_at', 'updated_at'])
          .execute();
      await expect(
        session.db.transaction().execute(async () => {
          await copyRows(session.client, { ...input, values: rows.flat() });
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      expect(await read()).toEqual([]);

      const n = await session.db
        .transaction()
        .execute(() => copyRows(session.client, { ...input, values: rows.flat() }));
      expect(n).toBe(rows.length);
      const byKey = new Map((await read()).map((r) => [r.external_id, Object.values(r)]));
      expect(byKey.size).toBe(rows.length);
      for (const row of rows) expect(byKey.get(row[0] as string)).toEqual(row);

      // A key that exists fails the whole COPY (no ON CONFLICT): nothing of it is stored.
      await expect(
        session.db.transaction().execute(() =>
          copyRows(session.client, {
            ...input,
            values: [...['fresh', 'x', 1, 1, 'mql', 1, 2], ...['k0', 'y', 2, 1, 'mql', 1, 2]],
          }),
        ),
      ).rejects.toThrow(/duplicate key/);
      expect((await read()).some((r) => r.external_id === 'fresh')).toBe(false);
      // The session's connection is usable again afterwards.
      const k1 = await session.db
        .selectFrom('leads')
        .select('title')
        .where('external_id', '=', 'k1')
        .execute();
      expect(k1).toEqual([{ title: '' }]);
    } finally {
      await session.release();
      await store.close();
    }
  });
});

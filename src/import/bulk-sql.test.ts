import { CompiledQuery } from 'kysely';
import { describe, expect, it } from 'vitest';
import { testEngines } from '../testing/engines.ts';
import { pgArray } from './bulk-sql.ts';

const tricky = [
  '',
  'NULL',
  'null',
  'a b',
  ' lead ',
  'x"y',
  'back\\slash',
  '{}',
  'a,b',
  'é 東京',
  "O'Brien",
  null,
  'tab\there',
];

describe.each(testEngines().filter((e) => e.name !== 'sqlite'))('pgArray on $name', (engine) => {
  it('round-trips text and numbers through PostgreSQL arrays unchanged', async () => {
    const store = await engine.open();
    try {
      const text = await store.db.executeQuery<{ v: string | null }>(
        CompiledQuery.raw('select unnest($1::text[]) as v', [pgArray(tricky)]),
      );
      expect(text.rows.map((r) => r.v)).toEqual(tricky);
      const numbers = [1, -2.5, 1_767_225_600_000, null, 0];
      const back = await store.db.executeQuery<{ v: number | null }>(
        CompiledQuery.raw('select unnest($1::double precision[]) as v', [pgArray(numbers)]),
      );
      expect(back.rows.map((r) => r.v)).toEqual(numbers);
    } finally {
      await store.close();
    }
  });
});

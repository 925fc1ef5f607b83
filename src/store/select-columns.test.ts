import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../testing/engines.ts';
import type { Store } from './open-store.ts';
import { selectColumns } from './select-columns.ts';

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
});

import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { testEngines } from '../testing/engines.ts';

describe.each(testEngines())('store on $name', (engine) => {
  it('migrates, round-trips epoch-millisecond times as numbers, and enforces source-key uniqueness', async () => {
    const store = await engine.open();
    try {
      const now = Date.UTC(2026, 10, 23, 12, 0, 0);
      const lead = await store.db
        .insertInto('leads')
        .values({
          external_id: 'L-1',
          status: 'mql',
          handed_over_at: now,
          score: 71.5,
          created_at: now,
          updated_at: now,
        })
        .returning(['id', 'handed_over_at', 'score'])
        .executeTakeFirstOrThrow();
      expect(lead).toEqual({ id: 1, handed_over_at: now, score: 71.5 });

      const activity = {
        kind: 'email',
        direction: 'outbound',
        occurred_at: now,
        source: 'mail',
        source_key: '<a@b>',
        lead_id: lead.id,
        created_at: now,
      };
      await store.db.insertInto('activities').values(activity).execute();
      await expect(store.db.insertInto('activities').values(activity).execute()).rejects.toThrow();

      const counted = await store.db
        .selectFrom('activities')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(counted.n).toBe(1);
      const { rows } = await sql<{ n: number }>`select count(*) as n from leads`.execute(store.db);
      expect(rows[0]?.n).toBe(1);
    } finally {
      await store.close();
    }
  });
});

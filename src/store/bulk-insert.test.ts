import { describe, expect, it } from 'vitest';
import { testEngines } from '../testing/engines.ts';
import { bulkInsert } from './bulk-insert.ts';

// Values that an array literal (PostgreSQL) must quote or escape, and row counts that SQLite cuts
// into several statement sizes.
const tricky = [
  'plain',
  '',
  ' leading and trailing ',
  'a,b',
  '{braces}',
  'say "hi"',
  'back\\slash',
  'back\\"both',
  'NULL',
  'null',
  'tab\tand\nnewline',
  'Zoë Müller ☃ 😀',
  '\u00a0nbsp',
];

describe.each(testEngines())('bulkInsert on $name', (engine) => {
  it('round-trips every value, skips conflicts, returns the new rows', async () => {
    const store = await engine.open();
    try {
      const rows = [
        ...tricky.map((value, i) => [`k${i}`, value, i]),
        ...Array.from({ length: 987 }, (_, i) => [`n${i}`, `value ${i}`, 1_700_000_000_000 + i]),
      ];
      const input = {
        table: 'workspace_settings',
        columns: ['key', 'value', 'updated_at'],
        types: ['text', 'text', 'bigint'] as const,
        conflictDoNothing: ['key'],
        returning: ['key'],
      };
      const inserted = await bulkInsert<{ key: string }>(store.db, { ...input, values: rows.flat() });
      expect(inserted.map((r) => r.key).sort()).toEqual(rows.map((r) => r[0]).sort());
      const stored = await store.db
        .selectFrom('workspace_settings')
        .select(['key', 'value', 'updated_at'])
        .execute();
      const byKey = new Map(stored.map((r) => [r.key, [r.key, r.value, Number(r.updated_at)]]));
      for (const row of rows) expect(byKey.get(row[0] as string)).toEqual(row);

      // Conflicting rows are skipped and not returned; new ones are.
      const again = await bulkInsert<{ key: string }>(store.db, {
        ...input,
        values: [...rows.slice(0, 600), ['fresh', 'x', 1]].flat(),
      });
      expect(again).toEqual([{ key: 'fresh' }]);

      // A caller's on-conflict clause.
      await bulkInsert(store.db, {
        table: 'workspace_settings',
        columns: ['key', 'value', 'updated_at'],
        types: ['text', 'text', 'bigint'],
        values: ['k0', 'updated', 2],
        onConflict: 'on conflict ("key") do update set "value" = excluded."value"',
      });
      const k0 = await store.db
        .selectFrom('workspace_settings')
        .select('value')
        .where('key', '=', 'k0')
        .executeTakeFirstOrThrow();
      expect(k0.value).toBe('updated');
    } finally {
      await store.close();
    }
  });
});

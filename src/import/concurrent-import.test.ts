import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../store/open-store.ts';
import { openTempPostgres } from '../testing/engines.ts';
import { writeGeneratedLeads } from './generate-leads.ts';
import { importFile } from './import-file.ts';

// Two imports of one file at once into one PostgreSQL database: a batch whose new keys the other
// import inserted after its lookup (COPY has no ON CONFLICT) is rolled back and run again, so both
// finish and every row is stored once. SQLite serialises writers; PGlite is one process's.

const ROWS = 20_000;
const serverUrl = process.env.TEST_DATABASE_URL;

describe.skipIf(!serverUrl)('two concurrent imports on postgres', () => {
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gleaner-concurrent-'));
    file = join(dir, 'leads.csv');
    await writeGeneratedLeads({ path: file, rows: ROWS, seed: 11 });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('both finish and each row is stored once', async () => {
    const a = await openTempPostgres(serverUrl as string);
    const url = new URL(serverUrl as string);
    url.pathname = new URL(a.location.replace('***', 'x')).pathname;
    const b = await openStore({ url: url.toString() });
    try {
      const options = { kind: 'leads', file, preset: 'gleaner-leads', batchSize: 500 } as const;
      // Index deferral is for loads into a quiet table; keep it out of the race.
      const [sa, sb] = await Promise.all([
        importFile({ ...options, store: a, deferIndexesFrom: Number.POSITIVE_INFINITY }),
        importFile({ ...options, store: b, deferIndexesFrom: Number.POSITIVE_INFINITY }),
      ]);
      expect(sa.inserted + sb.inserted).toBe(ROWS);
      expect(sa.inserted + sa.unchanged + sa.updated).toBe(ROWS);
      expect(sb.inserted + sb.unchanged + sb.updated).toBe(ROWS);
      const totals = await a.db
        .selectFrom('leads')
        .select((eb) => [
          eb.fn.countAll<number>().as('n'),
          eb.fn.count<number>('external_id').distinct().as('ids'),
        ])
        .executeTakeFirstOrThrow();
      expect(Number(totals.n)).toBe(ROWS);
      expect(Number(totals.ids)).toBe(ROWS);
    } finally {
      await b.close();
      await a.close();
    }
  });
});

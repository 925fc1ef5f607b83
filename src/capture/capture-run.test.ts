import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../store/open-store.ts';
import { testEngines } from '../testing/engines.ts';
import { runCapture } from './capture-run.ts';

const sqlite = testEngines().find((e) => e.name === 'sqlite');

// runCapture keeps SQLite's statement journals in memory while it writes; the connection is handed
// back as it was, since temp_store also decides where large sorts and temporary tables go.
describe('runCapture on SQLite', () => {
  let store: Store;
  beforeAll(async () => {
    store = await (sqlite as NonNullable<typeof sqlite>).open();
  });
  afterAll(() => store.close());

  const tempStore = async () =>
    Number((await sql<{ temp_store: number }>`pragma temp_store`.execute(store.db)).rows[0]?.temp_store);

  it.each([0, 1, 2])('leaves temp_store at %i as it found it', async (before) => {
    await sql.raw(`pragma temp_store = ${before}`).execute(store.db);
    const summary = await runCapture({ db: store.db, events: [] });
    expect(summary.read).toBe(0);
    expect(await tempStore()).toBe(before);
  });

  it('restores it when the reader fails', async () => {
    await sql`pragma temp_store = 1`.execute(store.db);
    async function* failing(): AsyncGenerator<never> {
      yield* [];
      throw new Error('disk gone');
    }
    await expect(runCapture({ db: store.db, events: failing() })).rejects.toThrow('disk gone');
    expect(await tempStore()).toBe(1);
  });
});

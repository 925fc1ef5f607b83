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

  it("fails with the store's error when a batch cannot be written, and stores nothing of the segment", async () => {
    const now = Date.now();
    await store.db
      .insertInto('reps')
      .values({
        external_id: 'r1',
        name: 'Rita',
        email: 'rita@seller.example',
        created_at: now,
        updated_at: now,
      })
      .execute();
    await sql`create trigger refuse before insert on activities begin select raise(abort, 'store refused'); end`.execute(
      store.db,
    );
    const mail = (i: number) => ({
      activity: {
        kind: 'email' as const,
        occurredAt: now + i,
        source: 'test',
        sourceKey: `k${i}`,
        participants: [
          { role: 'from' as const, email: 'rita@seller.example' },
          { role: 'to' as const, email: `buyer${i}@buyer.example` },
        ],
      },
    });
    // More than one batch: the failing write is in flight while the next batch is decided.
    const events = Array.from({ length: 4500 }, (_, i) => mail(i));
    await expect(runCapture({ db: store.db, events })).rejects.toThrow('store refused');
    await sql`drop trigger refuse`.execute(store.db);
    const stored = await store.db
      .selectFrom('activities')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst();
    expect(Number(stored?.n)).toBe(0);
  });
});

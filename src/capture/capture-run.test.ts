import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMatchIndex } from '../match/matcher.ts';
import type { Store } from '../store/open-store.ts';
import { testEngines } from '../testing/engines.ts';
import { runCapture } from './capture-run.ts';
import { loadCaptureSettings } from './capture-settings.ts';

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

  describe('with the references checked per segment (bulkReferenceCheck)', () => {
    const foreignKeys = async () =>
      Number(
        (await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(store.db)).rows[0]?.foreign_keys,
      );
    const count = async (table: 'activities' | 'contacts') =>
      Number(
        (
          await store.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirst()
        )?.n,
      );

    // A match index that knows a lead the store does not hold (id 9999): what a bug in deriving ids
    // would produce. The store's own rep and lead are there too.
    const capture = async (leadId: number, bulkReferenceCheck: boolean) => {
      const now = Date.now();
      const rep = await store.db
        .insertInto('reps')
        .values({
          external_id: `r-${leadId}-${bulkReferenceCheck}`,
          name: 'Ria',
          email: `ria${leadId}${bulkReferenceCheck}@seller.example`,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const settings = await loadCaptureSettings(store.db);
      const index = buildMatchIndex({
        repIdentities: [],
        reps: [{ id: rep.id, email: `ria${leadId}${bulkReferenceCheck}@seller.example` }],
        leads: [
          {
            id: leadId,
            email: 'pat@buyer.example',
            phone: null,
            owner_rep_id: rep.id,
            status: 'mql',
            handed_over_at: now,
            created_at: now,
            account_id: null,
          },
        ],
        contacts: [],
        accountDomains: [],
        ownDomains: ['seller.example'],
        blocklist: [],
        defaultRegion: settings.defaultRegion,
        openStatuses: ['mql'],
      });
      const events = [1, 2, 3].map((i) => ({
        activity: {
          kind: 'email' as const,
          occurredAt: now + i,
          source: 'test',
          sourceKey: `ref-${leadId}-${bulkReferenceCheck}-${i}`,
          participants: [
            { role: 'from' as const, email: `ria${leadId}${bulkReferenceCheck}@seller.example` },
            { role: 'to' as const, email: 'pat@buyer.example' },
          ],
        },
      }));
      return runCapture({ db: store.db, events, settings, index, bulkReferenceCheck });
    };

    it('stores activities whose references exist, and turns the foreign keys back on', async () => {
      const now = Date.now();
      const lead = await store.db
        .insertInto('leads')
        .values({
          external_id: 'l-ref',
          email: 'pat@buyer.example',
          status: 'mql',
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const before = await count('activities');
      const summary = await capture(lead.id, true);
      expect(summary.captured).toBe(3);
      expect(await count('activities')).toBe(before + 3);
      expect(await foreignKeys()).toBe(1);
    });

    it('fails on a reference to a missing lead and commits nothing of the segment', async () => {
      const before = await count('activities');
      await expect(capture(9999, true)).rejects.toThrow(
        'capture refers to rows that do not exist: 1 leads (first id 9999)',
      );
      expect(await count('activities')).toBe(before);
      expect(await foreignKeys()).toBe(1);
    });

    it('without it, the foreign keys refuse the same rows', async () => {
      const before = await count('activities');
      await expect(capture(9999, false)).rejects.toThrow(/FOREIGN KEY constraint failed/);
      expect(await count('activities')).toBe(before);
    });
  });
});

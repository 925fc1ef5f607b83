import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshLeadStats } from '../sla/lead-stats.ts';
import type { Store } from '../store/open-store.ts';
import { testEngines } from '../testing/engines.ts';
import { ingestActivities } from './ingest.ts';

const hour = 3_600_000;
const t0 = Date.UTC(2026, 2, 2, 9, 0, 0);

// Touches arrive out of time order (mail folders and calendars are not sorted): the longest gap
// between consecutive touches must still be the one in time order, as the SLA's max-gap rule reads it.
describe.each(testEngines())('capture keeps lead_stats.max_gap_ms on $name', (engine) => {
  let store: Store;
  beforeAll(async () => {
    store = await engine.open();
    const now = Date.now();
    await store.db
      .insertInto('reps')
      .values({
        external_id: 'r1',
        name: 'Rita Rep',
        email: 'rita@seller.example',
        created_at: now,
        updated_at: now,
      })
      .execute();
    await store.db
      .insertInto('rep_identities')
      .values({ rep_id: 1, kind: 'email', value: 'rita@seller.example' })
      .execute();
    await store.db
      .insertInto('leads')
      .values({
        external_id: 'L1',
        email: 'lee@buyer.example',
        status: 'working',
        created_at: now,
        updated_at: now,
      })
      .execute();
  });
  afterAll(() => store.close());

  const mail = (key: string, at: number) => ({
    kind: 'email',
    occurredAt: at,
    source: 'api',
    sourceKey: key,
    participants: [
      { role: 'from', email: 'rita@seller.example' },
      { role: 'to', email: 'lee@buyer.example' },
    ],
  });

  it('recomputes the gap in time order whatever order the touches arrive in', async () => {
    await ingestActivities(store.db, [mail('a', t0 + 100 * hour), mail('b', t0)]);
    const first = await store.db
      .selectFrom('lead_stats')
      .select(['touches', 'max_gap_ms'])
      .executeTakeFirstOrThrow();
    expect(first).toEqual({ touches: 2, max_gap_ms: 100 * hour });

    // A touch in between shortens the longest gap to 60 h.
    await ingestActivities(store.db, mail('c', t0 + 40 * hour));
    const second = await store.db
      .selectFrom('lead_stats')
      .select(['touches', 'max_gap_ms'])
      .executeTakeFirstOrThrow();
    expect(second).toEqual({ touches: 3, max_gap_ms: 60 * hour });
  });

  it('carries the gap forward from the stored row for later touches, and matches a full recount', async () => {
    const stats = () =>
      store.db
        .selectFrom('lead_stats')
        .select(['touches', 'responses', 'last_touch_at', 'max_gap_ms'])
        .executeTakeFirstOrThrow();
    // After the last touch (100 h): a gap of 100 h, longer than the 60 h so far.
    await ingestActivities(store.db, mail('d', t0 + 200 * hour));
    expect(await stats()).toMatchObject({ touches: 4, max_gap_ms: 100 * hour });
    // A response is no touch: the gap stays.
    await ingestActivities(store.db, {
      ...mail('e', t0 + 210 * hour),
      participants: [
        { role: 'from', email: 'lee@buyer.example' },
        { role: 'to', email: 'rita@seller.example' },
      ],
    });
    expect(await stats()).toMatchObject({ touches: 4, responses: 1, max_gap_ms: 100 * hour });
    // Two later touches at once: the longest gap is the one between them (150 h).
    await ingestActivities(store.db, [mail('f', t0 + 220 * hour), mail('g', t0 + 370 * hour)]);
    const carried = await stats();
    expect(carried).toMatchObject({ touches: 6, last_touch_at: t0 + 370 * hour, max_gap_ms: 150 * hour });
    await refreshLeadStats(store.db, { leadIds: [1], now: Date.now() });
    expect(await stats()).toEqual(carried);
  });
});

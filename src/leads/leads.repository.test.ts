import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../store/open-store.ts';
import { testEngines } from '../testing/engines.ts';
import { countLeads, findRepId, listLeads, loadLeadDetail } from './leads.repository.ts';

const day = (d: string) => Date.parse(`${d}T00:00:00Z`);

describe.each(testEngines())('leads repository on $name', (engine) => {
  let store: Store;
  beforeAll(async () => {
    store = await engine.open();
    const now = Date.now();
    const team = await store.db
      .insertInto('teams')
      .values({ name: 'West', created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const jane = await store.db
      .insertInto('reps')
      .values({
        external_id: 'R1',
        name: 'Jane Roe',
        email: 'jane@acme.com',
        team_id: team.id,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await store.db
      .insertInto('rep_identities')
      .values({ rep_id: jane.id, kind: 'email', value: 'j.roe@acme.io' })
      .execute();
    const lead = (
      external_id: string,
      status: string,
      source: string,
      handed: string | null,
      owner: number | null,
    ) => ({
      external_id,
      status,
      source,
      campaign: source === 'webinar' ? 'w-1' : 'c-9',
      handed_over_at: handed ? day(handed) : null,
      owner_rep_id: owner,
      name: `Lead ${external_id}`,
      created_at: now,
      updated_at: now,
    });
    await store.db
      .insertInto('leads')
      .values([
        lead('A', 'mql', 'webinar', '2026-01-01', jane.id),
        lead('B', 'working', 'web', '2026-01-05', jane.id),
        lead('C', 'mql', 'web', '2026-01-10', null),
        lead('N', 'nurture', 'webinar', null, null),
      ])
      .execute();
    const a = await store.db
      .selectFrom('leads')
      .select('id')
      .where('external_id', '=', 'A')
      .executeTakeFirstOrThrow();
    await store.db
      .insertInto('lead_events')
      .values([
        {
          lead_id: a.id,
          kind: 'assigned',
          to_status: 'mql',
          occurred_at: day('2026-01-01'),
          actor: 'router',
          source_key: 'k1',
        },
        {
          lead_id: a.id,
          kind: 'accepted',
          from_status: 'mql',
          to_status: 'accepted',
          occurred_at: day('2026-01-02'),
          actor: 'rep:1',
          source_key: 'k2',
        },
      ])
      .execute();
    await store.db
      .insertInto('lead_stats')
      .values({ lead_id: a.id, touches: 3, calls: 2, emails: 1, updated_at: now })
      .execute();
  });
  afterAll(async () => {
    await store?.close();
  });

  const ids = (rows: Array<{ external_id: string }>) => rows.map((r) => r.external_id);

  it('lists open pipeline leads newest first and hides the nurture pool', async () => {
    expect(ids(await listLeads(store.db))).toEqual(['C', 'B', 'A']);
    expect(ids(await listLeads(store.db, { status: ['nurture'] }))).toEqual(['N']);
  });

  it('filters by status, owner (id, external id, e-mail, alias, name), source, campaign and since', async () => {
    expect(ids(await listLeads(store.db, { status: ['mql'] }))).toEqual(['C', 'A']);
    for (const owner of ['R1', 'jane@acme.com', 'j.roe@acme.io', 'Jane Roe']) {
      expect(ids(await listLeads(store.db, { owner }))).toEqual(['B', 'A']);
    }
    expect(await listLeads(store.db, { owner: 'nobody' })).toEqual([]);
    expect(ids(await listLeads(store.db, { source: 'web' }))).toEqual(['C', 'B']);
    expect(ids(await listLeads(store.db, { campaign: 'w-1' }))).toEqual(['A']);
    expect(ids(await listLeads(store.db, { since: day('2026-01-05') }))).toEqual(['C', 'B']);
    expect(ids(await listLeads(store.db, { limit: 1 }))).toEqual(['C']);
    const [b] = await listLeads(store.db, { status: ['working'] });
    expect(b?.owner_name).toBe('Jane Roe');
    expect(await findRepId(store.db, 'R1')).toBe(b?.owner_rep_id);
  });

  it('loads one lead with owner, events and counters, by external or numeric id', async () => {
    const detail = await loadLeadDetail(store.db, 'A');
    expect(detail?.owner).toMatchObject({ external_id: 'R1', name: 'Jane Roe' });
    expect(detail?.events.map((e) => [e.kind, e.to_status])).toEqual([
      ['assigned', 'mql'],
      ['accepted', 'accepted'],
    ]);
    expect(detail?.stats).toMatchObject({ touches: 3, calls: 2, emails: 1, meetings: 0 });
    const byId = await loadLeadDetail(store.db, String(detail?.lead.id));
    expect(byId?.lead.external_id).toBe('A');
    expect(await loadLeadDetail(store.db, 'missing')).toBeUndefined();
  });

  it('counts leads by status and source', async () => {
    expect(await countLeads(store.db)).toEqual({
      byStatus: { mql: 2, nurture: 1, working: 1 },
      bySource: { web: 2, webinar: 2 },
      total: 4,
    });
  });
});

import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../store/open-store.ts';
import { testEngines } from '../testing/engines.ts';
import { sharedDataDir, sharedDataPath } from '../testing/shared-data.ts';
import { loadCallMapping, loadRepDirectory, readCalls } from './calls.ts';
import { runCapture } from './capture-run.ts';

describe.each(testEngines())('call logs on $name', (engine) => {
  let store: Store;
  beforeAll(async () => {
    store = await engine.open();
  });
  afterAll(() => store.close());

  it('aircall preset: outbound calls are touches, inbound ones responses, bad rows rejected with their line', async () => {
    const now = Date.now();
    await store.db
      .insertInto('reps')
      .values([
        {
          external_id: 'anna',
          name: 'Anna Rep',
          email: 'anna@ours.example',
          created_at: now,
          updated_at: now,
        },
        { external_id: 'ben', name: 'Ben Rep', email: 'ben@ours.example', created_at: now, updated_at: now },
      ])
      .execute();
    const lead = await store.db
      .insertInto('leads')
      .values({
        external_id: 'l-1',
        phone: '(415) 555-0134',
        status: 'working',
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const run = async () =>
      runCapture({
        db: store.db,
        events: readCalls({
          file: 'test-fixtures/capture/aircall-calls.csv',
          mapping: loadCallMapping({ preset: 'aircall' }),
          timeZone: 'UTC',
          reps: await loadRepDirectory(store.db),
        }),
      });
    const summary = await run();
    expect(summary).toMatchObject({ read: 4, captured: 3, rejected: 1 });
    expect(summary.rejections[0]).toMatchObject({ line: 5 });
    expect(summary.rejections[0]?.reason).toMatch(/^started_at/);
    const stats = await store.db
      .selectFrom('lead_stats')
      .selectAll()
      .where('lead_id', '=', lead.id)
      .executeTakeFirstOrThrow();
    // 912002 (outbound, missed) is a call attempt: a touch; 912003 (inbound from the lead) a response.
    expect(stats).toMatchObject({ touches: 1, calls: 1, responses: 1, first_touch_at: 1767610800000 });
    // Effort: 30 s + 2 min allowance, and 300 s + 2 min.
    expect(stats.effort_minutes).toBeCloseTo(0.5 + 2 + 5 + 2, 5);
    const participant = await store.db
      .selectFrom('activity_participants')
      .select(['phone', 'match_rule'])
      .where('lead_id', '=', lead.id)
      .execute();
    expect(participant).toEqual([
      { phone: '+14155550134', match_rule: 'phone' },
      { phone: '+14155550134', match_rule: 'phone' },
    ]);
    expect((await run()).duplicates).toBe(3);
  });

  it.skipIf(!sharedDataDir)(
    'call-centre preset: agents are reps, customers are leads by customer id',
    async () => {
      const file = sharedDataPath('call_center_technion_anonymous_bank/calls_one_day.csv');
      const rows = parse(readFileSync(file), { columns: true }) as Array<Record<string, string>>;
      const agents = [...new Set(rows.map((r) => r.server as string))].filter((s) => s !== 'NO_SERVER');
      const now = Date.now();
      await store.db
        .insertInto('reps')
        .values(
          agents.map((a) => ({
            external_id: a,
            name: a,
            email: `${a.toLowerCase()}@bank.example`,
            created_at: now,
            updated_at: now,
          })),
        )
        .execute();
      // Leads: the customers, phone = customer_id (compared as digits).
      const customers = [...new Set(rows.map((r) => r.customer_id as string))].filter((c) => c !== '0');
      await store.db
        .insertInto('leads')
        .values(
          customers.map((c) => ({
            external_id: `cust-${c}`,
            phone: c,
            status: 'working',
            created_at: now,
            updated_at: now,
          })),
        )
        .execute();
      const summary = await runCapture({
        db: store.db,
        events: readCalls({
          file,
          mapping: loadCallMapping({ preset: 'technion-call-center' }),
          timeZone: 'UTC',
          reps: await loadRepDirectory(store.db),
        }),
      });
      const served = rows.filter((r) => r.server !== 'NO_SERVER');
      const expected = served.filter((r) => r.customer_id !== '0');
      expect(summary.read).toBe(rows.length);
      expect(summary.captured).toBe(expected.length);
      expect(summary.skipped).toEqual({
        no_rep: rows.length - served.length,
        internal_only: served.length - expected.length,
      });
      const linked = await store.db
        .selectFrom('activities')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('source_key', 'like', 'technion-call-center:%')
        .where('lead_id', 'is not', null)
        .where('kind', '=', 'call')
        .where('direction', '=', 'inbound')
        .executeTakeFirstOrThrow();
      expect(Number(linked.n)).toBe(expected.length);
      const effort = await store.db
        .selectFrom('activities')
        .select((eb) => eb.fn.sum<number>('effort_minutes').as('m'))
        .where('source', '=', 'calls')
        .where('disposition', 'is not', null)
        .executeTakeFirstOrThrow();
      expect(Number(effort.m)).toBeGreaterThan(0);
    },
  );
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../store/open-store.ts';
import { testEngines } from '../testing/engines.ts';
import { evaluateLeads } from './evaluate-leads.ts';
import { refreshLeadStats } from './lead-stats.ts';
import { parsePolicySet } from './policy.ts';
import { saveGlobalPolicies } from './policy-store.ts';

const H = 3_600_000;
const t0 = Date.UTC(2026, 0, 5, 9, 0, 0); // Monday 09:00 UTC

const policyYaml = `
policies:
  - name: hot
    match: { sources: [demo_request] }
    first_touch: { within_hours: 24 }
    attempts: { touches: 3, calls: 1, emails: 1 }
    max_gap_days: 2
    window_days: 10
  - name: default
    first_touch: { within_hours: 48 }
    attempts: { touches: 2 }
    window_days: 10
`;

describe.each(testEngines())('evaluateLeads on $name', (engine) => {
  let store: Store;
  beforeAll(async () => {
    store = await engine.open();
    const db = store.db;
    await saveGlobalPolicies(db, { set: parsePolicySet(policyYaml, 'p.yaml'), now: t0 });
    const rep = await db
      .insertInto('reps')
      .values({ external_id: 'R1', name: 'Rita', created_at: t0, updated_at: t0 })
      .returning('id')
      .executeTakeFirstOrThrow();
    const lead = (ext: string, source: string, status = 'working') => ({
      external_id: ext,
      source,
      status,
      handed_over_at: t0,
      owner_rep_id: rep.id,
      created_at: t0,
      updated_at: t0,
    });
    const ids = await db
      .insertInto('leads')
      .values([
        lead('met', 'demo_request'),
        lead('never', 'demo_request'),
        lead('gap', 'demo_request'),
        lead('other', 'web'),
      ])
      .returning('id')
      .execute();
    const [met, , gap, other] = ids.map((r) => r.id);
    const act = (leadId: number, kind: string, at: number, key: string) => ({
      kind,
      direction: 'outbound',
      occurred_at: at,
      lead_id: leadId,
      rep_id: rep.id,
      source: 'test',
      source_key: key,
      is_touch: 1,
      effort_minutes: 5,
      created_at: t0,
    });
    await db
      .insertInto('activities')
      .values([
        act(met!, 'email', t0 + 2 * H, 'a1'),
        act(met!, 'call', t0 + 20 * H, 'a2'),
        act(met!, 'email', t0 + 30 * H, 'a3'),
        act(gap!, 'call', t0 + 1 * H, 'b1'),
        act(gap!, 'email', t0 + 80 * H, 'b2'),
        act(other!, 'email', t0 + 50 * H, 'c1'),
      ])
      .execute();
    await refreshLeadStats(db, { leadIds: ids.map((r) => r.id), now: t0 });
  });
  afterAll(async () => {
    await store.close();
  });

  it('keeps max_gap_ms in lead_stats and evaluates each lead under its policy', async () => {
    const stats = await store.db.selectFrom('lead_stats').selectAll().orderBy('lead_id').execute();
    expect(stats.map((s) => [s.touches, s.calls, s.emails, s.max_gap_ms])).toEqual([
      [3, 1, 2, 18 * H],
      [0, 0, 0, null],
      [2, 1, 1, 79 * H],
      [1, 0, 1, null],
    ]);
    const rows = await evaluateLeads(store.db, { now: t0 + 100 * H });
    expect(
      rows.map((r) => [r.policy, r.state, r.breached_rules, r.worked, r.time_to_first_touch_ms]),
    ).toEqual([
      ['hot', 'met', null, true, 2 * H],
      ['hot', 'breached', 'first_touch', false, null],
      ['hot', 'breached', 'max_gap', true, 1 * H],
      ['default', 'breached', 'first_touch', false, 50 * H],
    ]);
    expect(rows[1]!.late_by_ms).toBe(76 * H);
    expect(rows[3]!.late_by_ms).toBe(2 * H);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateSla, summarizeTouches, type Touch } from '../../sla/evaluate.ts';
import { defaultPolicySet, selectPolicy } from '../../sla/policy.ts';
import type { Store } from '../../store/open-store.ts';
import { testEngines } from '../../testing/engines.ts';
import { generateWorkspace, writeWorkspace } from '../../testing/generate-workspace.ts';
import { defaultReportSettings, type ReportResult, type ReportSettings } from './report-types.ts';
import { type FollowUpReportName, runReports } from './run-reports.ts';

const D = 86_400_000;
const start = Date.UTC(2026, 0, 1);
const end = Date.UTC(2026, 6, 1);
const now = Date.UTC(2026, 6, 15);
const settings: ReportSettings = { ...defaultReportSettings, now, by: 'source' };
const generated = () =>
  generateWorkspace({ seed: 7, leads: 700, reps: 14, activitiesPerLead: 6, start, end });

// The naive path: read the raw tables (activities, not lead_stats; lead events, not the facts query),
// evaluate each lead from its own touch list, and count with plain loops.
async function naive(store: Store) {
  const db = store.db;
  const leads = await db.selectFrom('leads').selectAll().orderBy('id').execute();
  const acts = await db.selectFrom('activities').selectAll().execute();
  const events = await db.selectFrom('lead_events').selectAll().execute();
  const opps = await db.selectFrom('opportunities').selectAll().execute();
  const reps = await db.selectFrom('reps').selectAll().execute();
  const teams = await db.selectFrom('teams').selectAll().execute();
  const policies = defaultPolicySet().policies;
  return leads.map((l) => {
    const mine = acts.filter((a) => a.lead_id === l.id);
    const touchList: Touch[] = mine
      .filter((a) => a.is_touch === 1)
      .map((a) => ({ at: a.occurred_at, kind: a.kind as Touch['kind'] }));
    const summary = {
      ...summarizeTouches(touchList),
      responses: mine.filter((a) => a.is_response === 1).length,
    };
    const closes = events
      .filter(
        (e) =>
          e.lead_id === l.id &&
          ['qualified', 'disqualified', 'unresponsive', 'recycled', 'rejected'].includes(e.kind),
      )
      .map((e) => e.occurred_at);
    const closedStatus = [
      'qualified',
      'disqualified',
      'unresponsive',
      'recycled',
      'rejected',
      'nurture',
    ].includes(l.status);
    const closedAt = closedStatus
      ? closes.length
        ? Math.max(...closes)
        : (l.converted_at ?? l.updated_at)
      : null;
    const rep = reps.find((r) => r.id === l.owner_rep_id);
    const policy = selectPolicy(policies, l);
    const ev = evaluateSla({
      lead: { ...l, closed_at: closedAt },
      policy,
      touches: summary,
      now,
      repTimeZone: rep?.time_zone ?? null,
    });
    const opp = opps.find((o) => o.id === l.opportunity_id);
    const converted = l.status === 'qualified' || l.converted_at !== null || opp !== undefined;
    return {
      l,
      ev,
      summary,
      closedAt,
      effort: mine.reduce((s, a) => s + a.effort_minutes, 0),
      rep,
      team: teams.find((t) => t.id === rep?.team_id),
      converted,
      won: opp?.won === 1,
      opps,
    };
  });
}

const table = (r: ReportResult, name?: string) =>
  (name ? r.tables.find((t) => t.name === name)! : r.tables[0]!).rows;
const bySource = (rows: Record<string, unknown>[]) => new Map(rows.map((r) => [String(r.source), r]));
const results: string[] = [];

describe.each(testEngines())('follow-up reports on $name', (engine) => {
  let store: Store;
  let reports: Map<FollowUpReportName, ReportResult>;
  let truth: Awaited<ReturnType<typeof naive>>;
  beforeAll(async () => {
    store = await engine.open();
    await writeWorkspace(store.db, generated());
    const list = await runReports(store.db, { settings });
    reports = new Map(list.map((r) => [r.report as FollowUpReportName, r]));
    truth = await naive(store);
  });
  afterAll(async () => {
    await store.close();
  });

  it('coverage matches a naive count from activities and lead events', () => {
    const rows = bySource(table(reports.get('coverage')!));
    const mqls = truth.filter((t) => t.l.handed_over_at !== null && t.ev.state !== 'not_applicable');
    const sourcesSeen = [...new Set(mqls.map((t) => t.l.source!))].sort();
    expect([...rows.keys()]).toEqual(sourcesSeen);
    for (const source of sourcesSeen) {
      const ms = mqls.filter((t) => t.l.source === source);
      const properly = ms.filter((t) => t.ev.state === 'met' || t.converted);
      const rest = ms.filter((t) => !(t.ev.state === 'met' || t.converted));
      const inProgress = rest.filter((t) => t.ev.state === 'pending' || t.ev.state === 'at_risk');
      const never = rest.filter((t) => !inProgress.includes(t) && t.summary.touches === 0);
      const row = rows.get(source)!;
      expect(row.mqls).toBe(ms.length);
      expect(row.properly_followed_up).toBe(properly.length);
      expect(row.in_progress).toBe(inProgress.length);
      expect(row.never_worked).toBe(never.length);
      expect(row.worked_but_short).toBe(rest.length - inProgress.length - never.length);
      expect(row.closed_prematurely).toBe(ms.filter((t) => t.ev.flags.premature_close).length);
      const noResult = ms.filter((t) => t.l.status === 'disqualified' || t.l.status === 'unresponsive');
      expect(row.disq_after_thorough).toBe(noResult.filter((t) => t.ev.attempts_met).length);
      expect(row.disq_never_worked).toBe(noResult.filter((t) => t.summary.touches === 0).length);
    }
    // The generator makes every kind of lead, so the test cannot pass vacuously.
    const all = table(reports.get('coverage')!);
    for (const col of ['properly_followed_up', 'never_worked', 'worked_but_short', 'closed_prematurely'])
      expect(all.reduce((s, r) => s + Number(r[col]), 0)).toBeGreaterThan(0);
  });

  it('response: percentiles, share within SLA and mix match a naive computation', () => {
    const rows = bySource(table(reports.get('response')!));
    const quantile = (xs: number[], q: number) => {
      const s = [...xs].sort((a, b) => a - b);
      const h = (s.length - 1) * q;
      return s[Math.floor(h)]! + (h - Math.floor(h)) * (s[Math.ceil(h)]! - s[Math.floor(h)]!);
    };
    for (const [source, row] of rows) {
      const ms = truth.filter(
        (t) => t.l.source === source && t.l.handed_over_at !== null && t.ev.state !== 'not_applicable',
      );
      const ttft = ms
        .filter((t) => t.summary.first_at !== null)
        .map((t) => t.summary.first_at! - t.l.handed_over_at!);
      expect(row.ttft_median_h).toBeCloseTo(quantile(ttft, 0.5) / 3_600_000, 2);
      expect(row.ttft_p90_h).toBeCloseTo(quantile(ttft, 0.9) / 3_600_000, 2);
      const decided = ms.filter((t) => t.ev.first_touch_within_sla !== null);
      expect(row.within_sla).toBe(decided.filter((t) => t.ev.first_touch_within_sla).length);
      expect(row.calls).toBe(ms.reduce((s, t) => s + t.summary.calls, 0));
      expect(row.meetings).toBe(ms.reduce((s, t) => s + t.summary.meetings, 0));
    }
  });

  it('capacity: leads, effort spent and hours available per rep and month', () => {
    const rows = table(reports.get('capacity')!, 'rep');
    const ms = truth.filter((t) => t.l.handed_over_at !== null && t.ev.state !== 'not_applicable' && t.rep);
    expect(rows.reduce((s, r) => s + Number(r.leads_assigned), 0)).toBe(ms.length);
    for (const row of rows.slice(0, 20)) {
      const mine = ms.filter(
        (t) =>
          t.rep!.name === row.rep && new Date(t.l.handed_over_at!).toISOString().slice(0, 7) === row.month,
      );
      expect(row.leads_assigned).toBe(mine.length);
      expect(row.effort_spent_h).toBeCloseTo(mine.reduce((s, t) => s + t.effort, 0) / 60, 2);
      expect(row.hours_available).toBe(mine[0]!.rep!.monthly_capacity_hours);
    }
  });

  it('acceptance and gap follow from the same leads', () => {
    const acc = new Map(table(reports.get('acceptance')!, 'by-source').map((r) => [r.source, r]));
    const handed = truth.filter((t) => t.l.handed_over_at !== null);
    for (const [source, row] of acc) {
      const hs = handed.filter((t) => t.l.source === source);
      const rejected = hs.filter((t) => t.l.status === 'rejected').length;
      const awaiting = hs.filter((t) => t.l.status === 'mql').length;
      expect(row.rejected).toBe(rejected);
      expect(row.accepted).toBe(hs.length - rejected - awaiting);
    }
    const wonAmounts = truth[0]!.opps.filter((o) => o.won === 1 && o.amount !== null).map((o) => o.amount!);
    const avg = wonAmounts.reduce((s, x) => s + x, 0) / wonAmounts.length;
    const gap = reports.get('gap')!;
    let expectedTotal = 0;
    for (const row of table(gap)) {
      const ms = truth.filter(
        (t) => t.l.source === row.source && t.l.handed_over_at !== null && t.ev.state !== 'not_applicable',
      );
      const properly = ms.filter((t) => t.ev.state === 'met' || t.converted);
      const under = ms.filter(
        (t) => !properly.includes(t) && t.ev.state !== 'pending' && t.ev.state !== 'at_risk',
      ).length;
      const rate = properly.length ? properly.filter((t) => t.won).length / properly.length : 0;
      expect(row.under_worked).toBe(under);
      expect(row.expected_revenue).toBeCloseTo(under * rate * avg, 1);
      expectedTotal += under * rate * avg;
    }
    expect(gap.inputs.revenue_left).toBeCloseTo(expectedTotal, 1);
    expect(expectedTotal).toBeGreaterThan(0);
  });

  it('rejected-outcomes counts later opportunities at the same person or account', () => {
    const rows = table(reports.get('rejected-outcomes')!);
    const closed = truth.filter((t) => t.l.status === 'rejected' || t.l.status === 'disqualified');
    expect(rows.reduce((s, r) => s + Number(r.leads), 0)).toBe(closed.length);
    const within = (t: (typeof closed)[number], months: number) => {
      const limit = new Date(t.closedAt!);
      limit.setUTCMonth(limit.getUTCMonth() + months);
      return t.opps.some(
        (o) =>
          (o.lead_id === t.l.id || (o.account_id !== null && o.account_id === t.l.account_id)) &&
          o.opened_at !== null &&
          o.opened_at >= t.closedAt! &&
          o.opened_at <= limit.getTime(),
      );
    };
    for (const m of [6, 12, 24])
      expect(rows.reduce((s, r) => s + Number(r[`later_opp_${m}m`]), 0)).toBe(
        closed.filter((t) => within(t, m)).length,
      );
    expect(rows.reduce((s, r) => s + Number(r.later_opp_24m), 0)).toBeGreaterThan(0);
  });

  it('cold-vs-mql separates cold leads and measures conversion and cycle', () => {
    const rows = table(reports.get('cold-vs-mql')!);
    const cold = truth.filter((t) => t.l.source === 'cold');
    const coldRow = rows.find((r) => r.kind === 'cold')!;
    expect(coldRow.leads).toBe(cold.length);
    expect(coldRow.converted).toBe(cold.filter((t) => t.converted).length);
    const days = cold
      .filter((t) => t.converted && t.l.converted_at !== null)
      .map((t) => (t.l.converted_at! - t.l.created_at) / D)
      .sort((a, b) => a - b);
    const mean = days.reduce((s, x) => s + x, 0) / days.length;
    expect(coldRow.days_to_qualified_mean).toBeCloseTo(mean, 1);
  });

  it('returns identical numbers on every engine', () => {
    const json = JSON.stringify([...reports.values()]);
    results.push(json);
    expect(json).toBe(results[0]);
  });
});

describe('report grouping', () => {
  it('week groups use ISO weeks of the hand-over', async () => {
    const { isoWeek } = await import('./stats.ts');
    expect(isoWeek(Date.UTC(2026, 0, 1))).toBe('2026-W01');
    expect(isoWeek(Date.UTC(2027, 0, 1))).toBe('2026-W53');
    expect(isoWeek(Date.UTC(2025, 11, 29))).toBe('2026-W01');
  });
});

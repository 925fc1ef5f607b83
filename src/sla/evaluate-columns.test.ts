import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../store/open-store.ts';
import { testEngines } from '../testing/engines.ts';
import { generateWorkspace, writeWorkspace } from '../testing/generate-workspace.ts';
import {
  evaluateSlaColumns,
  evaluateWorkedColumns,
  slaRuleNames,
  slaStateNames,
} from './evaluate-columns.ts';
import { evaluateLeadFacts, evaluateLeads } from './evaluate-leads.ts';
import { orNull, readLeadColumns } from './lead-columns.ts';
import { loadLeadFacts, readReps } from './lead-facts.ts';
import { parsePolicySet } from './policy.ts';
import { saveGlobalPolicies } from './policy-store.ts';

const D = 86_400_000;
const start = Date.UTC(2026, 2, 1);
const end = Date.UTC(2026, 5, 1);

// Several policies: score bands, campaigns and segments; wall and business clocks, in the rep's zone
// and in a fixed one, with holidays (Easter, May Day) inside the hand-over period; no max gap in one.
const policyYaml = `
policies:
  - name: hot
    match: [{ sources: [demo_request] }, { score_min: 90 }]
    first_touch: { within_hours: 4, clock: wall }
    attempts: { touches: 6, calls: 3, emails: 2 }
    max_gap_days: 2
    window_days: 14
    warning_hours: 24
  - name: webinar-berlin
    match: { sources: [WEBINAR], segments: [enterprise] }
    first_touch: { within_hours: 8, clock: business }
    business_hours: { time_zone: Europe/Berlin, start: "08:30", end: "17:00", holidays: ["2026-04-03", "2026-04-06", "2026-05-01"] }
    attempts: { touches: 4, calls: 1, emails: 1, meetings: 1 }
    max_gap_days: 5
    window_days: 21
    warning_hours: 48
    ends_on: [qualified]
  - name: campaign-band
    match: { campaigns: [tradeshow-1, partner-2, web-3], score_min: 20, score_max: 60 }
    first_touch: { within_hours: 16, clock: business }
    business_hours: { time_zone: rep, working_days: [mon, tue, wed, thu, sat], start: "10:00", end: "18:00", holidays: ["2026-04-06", "2026-05-14", "2026-05-25"] }
    attempts: { touches: 3 }
    window_days: 10
    warning_hours: 72
    not_applicable_reasons: [duplicate]
    no_response_reasons: [no_response, timing]
  - name: default
    first_touch: { within_hours: 24, clock: business }
    business_hours: { time_zone: rep, holidays: ["2026-04-03", "2026-12-25"] }
    attempts: { touches: 5, calls: 2, emails: 2 }
    max_gap_days: 7
    window_days: 30
    warning_hours: 8
`;

describe.each(testEngines())('the SLA fast path on $name', (engine) => {
  let store: Store;
  beforeAll(async () => {
    store = await engine.open();
    await writeWorkspace(
      store.db,
      generateWorkspace({ seed: 11, leads: 900, reps: 12, activitiesPerLead: 5, start, end }),
    );
    await saveGlobalPolicies(store.db, { set: parsePolicySet(policyYaml, 'p.yaml'), now: start });
  });
  afterAll(async () => {
    await store.close();
  });

  it('reads the same facts as columns as the row query', async () => {
    const facts = await loadLeadFacts(store.db, { includeNurture: true });
    const cols = await readLeadColumns(store.db, { includeNurture: true, pageSize: 250 });
    expect(cols.n).toBe(facts.length);
    const str = (code: number) => (code < 0 ? null : cols.strings[code]);
    facts.forEach((f, i) => {
      expect({
        id: cols.leadId[i],
        source: str(cols.source[i]!),
        campaign: str(cols.campaign[i]!),
        status: str(cols.status[i]!),
        reason: str(cols.dispositionReason[i]!),
        score: orNull(cols.score[i]!),
        closed: orNull(cols.closedAt[i]!),
        first: orNull(cols.firstTouchAt[i]!),
        gap: orNull(cols.maxGapMs[i]!),
        effort: cols.effortMinutes[i],
      }).toEqual({
        id: f.lead_id,
        source: f.source,
        campaign: f.campaign,
        status: f.status,
        reason: f.disposition_reason,
        score: f.score,
        closed: f.closed_at,
        first: f.first_touch_at,
        gap: f.max_gap_ms,
        effort: f.effort_minutes,
      });
    });
  });

  it.each([start + 3 * D, start + 40 * D, end, end + 20 * D])(
    'gives evaluateSla’s answer for every lead at %i',
    async (now) => {
      const { policies } = await import('./policy-store.ts').then((m) => m.loadActivePolicies(store.db));
      const facts = await loadLeadFacts(store.db, { includeNurture: true });
      const expected = evaluateLeadFacts({ facts, policies, now });
      const cols = await readLeadColumns(store.db, { includeNurture: true });
      const reps = await readReps(store.db);
      const sla = evaluateSlaColumns({
        cols,
        policies,
        now,
        repTimeZone: (id) => reps.get(id)?.time_zone ?? null,
      });
      const seen = new Set<string>();
      expected.forEach(({ evaluation: e }, i) => {
        seen.add(`${e.policy}:${e.state}`);
        const applies = e.state !== 'not_applicable';
        expect({
          policy: policies[sla.policy[i]!]!.name,
          state: slaStateNames[sla.state[i]!],
          attempts_met: sla.attemptsMet[i] === 1,
          within: sla.firstTouchWithinSla[i] === -1 ? null : sla.firstTouchWithinSla[i] === 1,
          due: applies ? orNull(sla.firstTouchDueAt[i]!) : null,
          at_risk:
            sla.atRiskRule[i]! < 0
              ? null
              : { rule: slaRuleNames[sla.atRiskRule[i]!], due_at: sla.atRiskDueAt[i] },
          breaches: slaRuleNames.filter((_, r) => sla.breaches[i]! & (1 << r)),
          premature: sla.prematureClose[i] === 1,
          never: applies && sla.neverWorked[i] === 1,
          late: orNull(sla.lateByMs[i]!),
        }).toEqual({
          policy: e.policy,
          state: e.state,
          attempts_met: e.attempts_met,
          within: e.first_touch_within_sla,
          due: e.first_touch_due_at,
          at_risk: e.at_risk,
          breaches: e.breaches.map((b) => b.rule),
          premature: e.flags.premature_close,
          never: e.flags.never_worked,
          late: e.flags.late_by_ms,
        });
      });
      // Every policy is used and the states vary, so the comparison cannot pass vacuously.
      for (const p of policies) expect([...seen].some((s) => s.startsWith(`${p.name}:`))).toBe(true);
      expect(new Set([...seen].map((s) => s.split(':')[1])).size).toBeGreaterThanOrEqual(3);
      // evaluateLeads (the fast path) returns the rows the straightforward evaluation gives.
      const rows = await evaluateLeads(store.db, { now });
      expect(rows).toEqual(expected.filter((x) => x.facts.handed_over_at !== null).map((x) => x.row));
    },
  );

  it.each([start + 3 * D, end + 20 * D])(
    'gives cherry-pick’s worked (attempts met or first touch within the SLA) without the close columns at %i',
    async (now) => {
      const { policies } = await import('./policy-store.ts').then((m) => m.loadActivePolicies(store.db));
      const facts = await loadLeadFacts(store.db, { includeNurture: true });
      const expected = evaluateLeadFacts({ facts, policies, now });
      const cols = await readLeadColumns(store.db, { includeNurture: true });
      const reps = await readReps(store.db);
      // Only the columns "worked" needs: a column it must not read is absent, so reading it would throw.
      const { closedAt: _c, convertedAt: _v, lastTouchAt: _l, maxGapMs: _g, responses: _r, ...needed } = cols;
      const worked = evaluateWorkedColumns({
        cols: needed,
        policies,
        repTimeZone: (id) => reps.get(id)?.time_zone ?? null,
      });
      const want = expected.map(
        (x) => x.evaluation.attempts_met || x.evaluation.first_touch_within_sla === true,
      );
      expect([...worked].map((w) => w === 1)).toEqual(want);
      // Both answers occur, through both routes (attempts met; first touch on time short of the attempts).
      expect(want.filter(Boolean).length).toBeGreaterThan(50);
      expect(want.filter((w) => !w).length).toBeGreaterThan(50);
      expect(
        expected.filter((x) => !x.evaluation.attempts_met && x.evaluation.first_touch_within_sla === true)
          .length,
      ).toBeGreaterThan(5);
      // Rejected leads given every attempt: worked unless the rejection's reason makes the SLA not apply.
      const rejected = (i: number) => cols.strings[cols.status[i]!] === 'rejected';
      const boost = (a: Int32Array) => a.map((x, i) => (rejected(i) ? 9 : x));
      const boosted = {
        ...cols,
        touches: boost(cols.touches),
        calls: boost(cols.calls),
        emails: boost(cols.emails),
        meetings: boost(cols.meetings),
      };
      const tz = (id: number) => reps.get(id)?.time_zone ?? null;
      const sla = evaluateSlaColumns({ cols: boosted, policies, now, repTimeZone: tz });
      const boostedWorked = evaluateWorkedColumns({ cols: boosted, policies, repTimeZone: tz });
      expect([...boostedWorked]).toEqual(
        [...sla.attemptsMet].map((m, i) => (m === 1 || sla.firstTouchWithinSla[i] === 1 ? 1 : 0)),
      );
      const naRejected = [...sla.state].filter(
        (st, i) => rejected(i) && slaStateNames[st] === 'not_applicable',
      );
      expect(naRejected.length).toBeGreaterThan(0);
      expect(boostedWorked.filter((w, i) => rejected(i) && w === 1).length).toBeGreaterThan(0);
    },
  );
});

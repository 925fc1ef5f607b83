import { describe, expect, it } from 'vitest';
import { evaluateSla, type SlaLead, summarizeTouches, type Touch } from './evaluate.ts';
import { SlaPolicy } from './policy.ts';
import { H, hotPolicy, t0 } from './sla-test-fixtures.ts';

const policy = hotPolicy;
const strict = SlaPolicy.parse({ ...policy, name: 'strict', ends_on: ['qualified'] });
const business = SlaPolicy.parse({
  name: 'biz',
  first_touch: { within_hours: 8, clock: 'business' },
  business_hours: { time_zone: 'rep', start: '09:00', end: '17:00', holidays: ['2026-01-12'] },
  attempts: { touches: 1 },
  window_days: 30,
});

const lead = (over: Partial<SlaLead> = {}): SlaLead => ({
  status: 'working',
  handed_over_at: t0,
  disposition_reason: null,
  closed_at: null,
  ...over,
});
const c = (hours: number): Touch => ({ at: t0 + hours * H, kind: 'call' });
const e = (hours: number): Touch => ({ at: t0 + hours * H, kind: 'email' });
const m = (hours: number): Touch => ({ at: t0 + hours * H, kind: 'meeting' });
const fullCadence = [e(1), c(20), c(50), e(90)]; // 4 touches, 2 calls, 2 emails, gaps ≤ 40 h

type Case = {
  name: string;
  lead?: Partial<SlaLead>;
  touches?: Touch[];
  responses?: number;
  nowHours: number;
  policy?: SlaPolicy;
  tz?: string;
  expect: {
    state: string;
    rules?: string[];
    byHours?: number[];
    atRisk?: [string, number];
    premature?: boolean;
    neverWorked?: boolean;
    lateHours?: number | null;
    missing?: Partial<Record<'touches' | 'calls' | 'emails' | 'meetings', number>>;
  };
};

const cases: Case[] = [
  { name: 'fresh lead, nothing due soon', nowHours: 2, expect: { state: 'pending', neverWorked: true } },
  {
    name: 'first touch due within the warning window',
    nowHours: 21,
    expect: { state: 'at_risk', atRisk: ['first_touch', 24] },
  },
  {
    name: 'never worked past the deadline',
    nowHours: 30,
    expect: { state: 'breached', rules: ['first_touch'], byHours: [6], neverWorked: true, lateHours: 6 },
  },
  {
    name: 'late first touch stays a breach after a full cadence',
    touches: [e(30), c(40), c(60), e(80)],
    nowHours: 100,
    expect: { state: 'breached', rules: ['first_touch'], byHours: [6], lateHours: 6 },
  },
  {
    name: 'full cadence within the window is met',
    touches: fullCadence,
    nowHours: 100,
    expect: { state: 'met', lateHours: null },
  },
  {
    name: 'touched on time, next touch due soon (max gap)',
    touches: [e(1)],
    nowHours: 70,
    expect: { state: 'at_risk', atRisk: ['max_gap', 73] },
  },
  {
    name: 'touched on time, next touch not yet due',
    touches: [e(1)],
    nowHours: 30,
    expect: { state: 'pending' },
  },
  {
    name: 'open lead silent longer than the max gap',
    touches: [e(1), c(10)],
    nowHours: 10 + 72 + 5,
    expect: { state: 'breached', rules: ['max_gap'], byHours: [5] },
  },
  {
    name: 'a past gap longer than allowed',
    touches: [e(1), c(2), c(100), e(101)],
    nowHours: 120,
    expect: { state: 'breached', rules: ['max_gap'], byHours: [98 - 72] },
  },
  {
    name: 'window closes short of attempts',
    touches: [e(1), c(40), c(80), c(120), c(160), c(200), c(240), c(280)].slice(0, 3),
    nowHours: 14 * 24 + 10,
    expect: {
      state: 'breached',
      rules: ['attempts', 'max_gap'],
      byHours: [10, 14 * 24 + 10 - 80 - 72],
      missing: { touches: 1 },
    },
  },
  {
    name: 'window end within warning while short of attempts',
    touches: [e(1), c(60), c(120), e(14 * 24 - 20)],
    nowHours: 14 * 24 - 2,
    policy: SlaPolicy.parse({ ...policy, max_gap_days: undefined, attempts: { touches: 5 } }),
    expect: { state: 'at_risk', atRisk: ['attempts', 14 * 24] },
  },
  {
    name: 'enough touches but calls missing (per-kind minimum)',
    touches: [e(1), e(20), e(40), c(60)],
    nowHours: 15 * 24,
    expect: { state: 'breached', rules: ['attempts', 'max_gap'], missing: { calls: 1, touches: 0 } },
  },
  {
    name: 'meetings count as touches',
    touches: [e(1), c(20), c(40), m(60)],
    nowHours: 80,
    expect: { state: 'met' },
  },
  {
    name: 'premature close: unresponsive before the attempts',
    lead: { status: 'unresponsive', closed_at: t0 + 30 * H },
    touches: [e(1), c(20)],
    nowHours: 200,
    expect: { state: 'breached', rules: ['attempts'], premature: true, missing: { touches: 2, calls: 1 } },
  },
  {
    name: 'unresponsive after the attempts is met',
    lead: { status: 'unresponsive', closed_at: t0 + 100 * H },
    touches: fullCadence,
    nowHours: 400,
    expect: { state: 'met', premature: false },
  },
  {
    name: 'disqualified without contact is a no-response close',
    lead: { status: 'disqualified', disposition_reason: 'bad_fit', closed_at: t0 + 5 * H },
    touches: [e(1)],
    nowHours: 50,
    expect: { state: 'breached', rules: ['attempts'], premature: true },
  },
  {
    name: 'disqualified after contact ends the SLA',
    lead: { status: 'disqualified', disposition_reason: 'bad_fit', closed_at: t0 + 5 * H },
    touches: [e(1)],
    responses: 1,
    nowHours: 50,
    expect: { state: 'met', premature: false },
  },
  {
    name: 'disqualified with a no-response reason despite a reply',
    lead: { status: 'disqualified', disposition_reason: 'no_response', closed_at: t0 + 5 * H },
    touches: [e(1)],
    responses: 1,
    nowHours: 50,
    expect: { state: 'breached', rules: ['attempts'], premature: true },
  },
  {
    name: 'qualified early ends the SLA',
    lead: { status: 'qualified', closed_at: t0 + 10 * H },
    touches: [c(2)],
    nowHours: 500,
    expect: { state: 'met' },
  },
  {
    name: 'rejected in time (non-procedural reason) ends the SLA',
    lead: { status: 'rejected', disposition_reason: 'bad_fit', closed_at: t0 + 3 * H },
    nowHours: 500,
    expect: { state: 'met', neverWorked: true },
  },
  {
    name: 'rejected after the first-touch deadline without a touch',
    lead: { status: 'rejected', disposition_reason: 'bad_fit', closed_at: t0 + 40 * H },
    nowHours: 500,
    expect: { state: 'breached', rules: ['first_touch'], byHours: [16] },
  },
  {
    name: 'rejection does not end a strict SLA',
    lead: { status: 'rejected', disposition_reason: 'bad_fit', closed_at: t0 + 3 * H },
    nowHours: 500,
    policy: strict,
    expect: { state: 'breached', rules: ['attempts'], premature: false },
  },
  {
    name: 'procedural rejection is not applicable',
    lead: { status: 'rejected', disposition_reason: 'Duplicate', closed_at: t0 + 3 * H },
    nowHours: 500,
    expect: { state: 'not_applicable' },
  },
  {
    name: 'never handed over is not applicable',
    lead: { handed_over_at: null, status: 'nurture' },
    nowHours: 1,
    expect: { state: 'not_applicable' },
  },
  {
    name: 'business hours: Friday hand-over is due Monday (rep in UTC)',
    lead: { handed_over_at: Date.UTC(2026, 0, 9, 13, 0) }, // Fri 13:00 → 4 h Fri + 4 h Mon → Mon 13:00
    touches: [{ at: Date.UTC(2026, 0, 12, 12, 59), kind: 'call' }],
    nowHours: 24 * 8,
    policy: business,
    tz: 'UTC',
    expect: { state: 'met', lateHours: null },
  },
  {
    name: 'business hours: holiday Monday pushes the deadline to Tuesday',
    lead: { handed_over_at: Date.UTC(2026, 0, 9, 13, 0) },
    touches: [{ at: Date.UTC(2026, 0, 13, 14, 0), kind: 'call' }], // Tue 14:00, due Tue 13:00
    nowHours: 24 * 10,
    policy: SlaPolicy.parse({
      ...business,
      business_hours: { ...business.business_hours, holidays: ['2026-01-12'] },
    }),
    tz: 'UTC',
    expect: { state: 'breached', rules: ['first_touch'], lateHours: 1 },
  },
  {
    name: "business hours in the rep's zone (New York)",
    lead: { handed_over_at: Date.UTC(2026, 0, 9, 21, 0) }, // Fri 16:00 EST → 1 h Fri + 7 h Mon → Mon 16:00 EST
    touches: [{ at: Date.UTC(2026, 0, 12, 21, 30), kind: 'email' }], // Mon 16:30 EST
    nowHours: 24 * 10,
    policy: SlaPolicy.parse({ ...business, business_hours: { ...business.business_hours, holidays: [] } }),
    tz: 'America/New_York',
    expect: { state: 'breached', rules: ['first_touch'], lateHours: 0.5 },
  },
];

describe('evaluateSla', () => {
  it.each(cases)('$name', (tc) => {
    const summary = { ...summarizeTouches(tc.touches ?? []), responses: tc.responses ?? 0 };
    const result = evaluateSla({
      lead: lead(tc.lead),
      policy: tc.policy ?? policy,
      touches: summary,
      now: t0 + tc.nowHours * H,
      repTimeZone: tc.tz ?? null,
    });
    expect(result.state).toBe(tc.expect.state);
    if (tc.expect.rules) expect(result.breaches.map((b) => b.rule)).toEqual(tc.expect.rules);
    if (tc.expect.byHours) expect(result.breaches.map((b) => b.by_ms / H)).toEqual(tc.expect.byHours);
    if (tc.expect.atRisk)
      expect(result.at_risk).toEqual({ rule: tc.expect.atRisk[0], due_at: t0 + tc.expect.atRisk[1] * H });
    else expect(result.at_risk).toBeNull();
    if (tc.expect.premature !== undefined) expect(result.flags.premature_close).toBe(tc.expect.premature);
    if (tc.expect.neverWorked !== undefined) expect(result.flags.never_worked).toBe(tc.expect.neverWorked);
    if (tc.expect.lateHours !== undefined)
      expect(result.flags.late_by_ms === null ? null : result.flags.late_by_ms / H).toBe(tc.expect.lateHours);
    if (tc.expect.missing)
      expect(result.breaches.find((b) => b.rule === 'attempts')?.missing).toMatchObject(tc.expect.missing);
  });

  it('reports time to first touch and whether it was within the SLA', () => {
    const r = evaluateSla({
      lead: lead(),
      policy,
      touches: summarizeTouches([c(5), e(9)]),
      now: t0 + 10 * H,
    });
    expect(r.time_to_first_touch_ms).toBe(5 * H);
    expect(r.first_touch_within_sla).toBe(true);
    const never = evaluateSla({ lead: lead(), policy, touches: summarizeTouches([]), now: t0 + 10 * H });
    expect(never.first_touch_within_sla).toBeNull();
    const late = evaluateSla({ lead: lead(), policy, touches: summarizeTouches([]), now: t0 + 30 * H });
    expect(late.first_touch_within_sla).toBe(false);
  });

  it('summarizes touches in time order whatever order they arrive in', () => {
    expect(summarizeTouches([c(10), e(1), m(4)])).toEqual({
      first_at: t0 + H,
      last_at: t0 + 10 * H,
      touches: 3,
      calls: 1,
      emails: 1,
      meetings: 1,
      responses: 0,
      max_gap_ms: 6 * H,
    });
  });
});

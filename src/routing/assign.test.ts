import { describe, expect, it } from 'vitest';
import { seededRandom } from '../scoring/random.ts';
import { planAssignments, type RouteLead, type RouteRep } from './assign.ts';
import { RoutingRules } from './rules.ts';

const rules = RoutingRules.parse({ expectedEffortMinutes: 1 });
const leads = (n: number, seed = 1): RouteLead[] => {
  const random = seededRandom(seed);
  const countries = ['US', 'DE', 'FR', 'GB'];
  return Array.from({ length: n }, (_, i) => ({
    id: i + 1,
    country: countries[Math.floor(random() * 4)]!,
    region: null,
    segment: random() < 0.3 ? 'enterprise' : 'smb',
    accountOwnerRepId: null,
  }));
};
const rep = (id: number, freeMinutes: number, more: Partial<RouteRep> = {}): RouteRep => ({
  id,
  externalId: `rep-${id}`,
  active: true,
  freeMinutes,
  ...more,
});
const countBy = (plan: ReturnType<typeof planAssignments>) => {
  const counts = new Map<number, number>();
  for (const a of plan.assignments) counts.set(a.repId, (counts.get(a.repId) ?? 0) + 1);
  return counts;
};

describe('routing fairness', () => {
  it('equal capacity over 10,000 leads: every rep within ±2 % of an equal share', () => {
    const reps = [1, 2, 3, 4, 5, 6, 7].map((id) => rep(id, 100_000));
    const plan = planAssignments({ leads: leads(10_000), reps, rules });
    expect(plan.unassigned).toEqual([]);
    const share = 10_000 / 7;
    for (const r of reps) {
      const n = countBy(plan).get(r.id)!;
      expect(Math.abs(n - share) / share).toBeLessThanOrEqual(0.02);
    }
  });

  it('counts are proportional to free capacity (1 : 2 : 3 : 4)', () => {
    const reps = [rep(1, 10_000), rep(2, 20_000), rep(3, 30_000), rep(4, 40_000)];
    const plan = planAssignments({ leads: leads(10_000), reps, rules });
    const counts = countBy(plan);
    for (const r of reps) {
      const expected = (10_000 * r.freeMinutes) / 100_000;
      expect(Math.abs(counts.get(r.id)! - expected) / expected).toBeLessThanOrEqual(0.02);
    }
  });

  it('skips inactive reps and reps without room for one more lead, and says when nobody has capacity', () => {
    const reps = [rep(1, 5), rep(2, 1000, { active: false }), rep(3, 0), rep(4, -30)];
    const plan = planAssignments({ leads: leads(8), reps, rules });
    expect(plan.assignments.map((a) => a.repId)).toEqual([1, 1, 1, 1, 1]);
    expect(plan.unassigned).toHaveLength(3);
    expect(plan.unassigned[0]).toEqual({ leadId: 6, reason: 'no_capacity', territory: null });
    expect(plan.freeMinutesAfter[1]).toBe(0);
  });
});

describe('routing rules', () => {
  const territoryRules = RoutingRules.parse({
    expectedEffortMinutes: 1,
    territories: [
      { name: 'dach-enterprise', country: ['DE', 'AT', 'CH'], segment: ['enterprise'], reps: ['rep-1'] },
      { name: 'europe', country: ['de', 'fr', 'gb'], reps: ['rep-2', 'rep-3'] },
    ],
  });
  const reps = [rep(1, 1000), rep(2, 1000), rep(3, 1000), rep(4, 1000)];
  const lead = (id: number, country: string, segment: string, owner: number | null = null): RouteLead => ({
    id,
    country,
    region: null,
    segment,
    accountOwnerRepId: owner,
  });

  it.each([
    {
      name: 'first matching territory wins',
      lead: lead(1, 'DE', 'enterprise'),
      reps: [1],
      reason: 'territory',
      rule: 'territory:dach-enterprise',
    },
    {
      name: 'country match is case-insensitive',
      lead: lead(2, 'fr', 'smb'),
      reps: [2, 3],
      reason: 'territory',
      rule: 'territory:europe',
    },
    {
      name: 'no territory: round-robin over everyone',
      lead: lead(3, 'US', 'smb'),
      reps: [1, 2, 3, 4],
      reason: 'round_robin',
      rule: 'round_robin',
    },
    {
      name: 'account owner beats territory',
      lead: lead(4, 'DE', 'enterprise', 4),
      reps: [4],
      reason: 'account_owner',
      rule: 'account_owner',
    },
  ])('$name', (c) => {
    const plan = planAssignments({ leads: [c.lead], reps, rules: territoryRules });
    const a = plan.assignments[0]!;
    expect(c.reps).toContain(a.repId);
    expect(a.reason).toBe(c.reason);
    expect(a.data.rule).toBe(c.rule);
  });

  it('an inactive account owner falls through to the territory', () => {
    const plan = planAssignments({
      leads: [lead(1, 'DE', 'enterprise', 4)],
      reps: [...reps.slice(0, 3), rep(4, 1000, { active: false })],
      rules: territoryRules,
    });
    expect(plan.assignments[0]).toMatchObject({ repId: 1, reason: 'territory' });
  });

  it('a territory whose reps are full leaves its leads unassigned rather than leaking them elsewhere', () => {
    const plan = planAssignments({
      leads: [lead(1, 'DE', 'enterprise'), lead(2, 'DE', 'enterprise')],
      reps: [rep(1, 1), rep(2, 1000)],
      rules: territoryRules,
    });
    expect(plan.assignments.map((a) => a.repId)).toEqual([1]);
    expect(plan.unassigned).toEqual([{ leadId: 2, reason: 'no_capacity', territory: 'dach-enterprise' }]);
  });
});

import type { RoutingRules } from './rules.ts';

export type RouteLead = {
  id: number;
  country: string | null;
  region: string | null;
  segment: string | null;
  /** The owner of the lead's account, when it has one. */
  accountOwnerRepId: number | null;
};
export type RouteRep = { id: number; externalId: string; active: boolean; freeMinutes: number };

export type AssignmentReason = 'account_owner' | 'territory' | 'round_robin';
export type Assignment = {
  leadId: number;
  repId: number;
  reason: AssignmentReason;
  /** Why, for the lead event: territory, the rep's free capacity before, the weight used. */
  data: Record<string, unknown>;
};
export type Unassigned = { leadId: number; reason: 'no_capacity'; territory: string | null };
export type RoutingPlan = {
  assignments: Assignment[];
  unassigned: Unassigned[];
  /** Free minutes per rep after the plan. */
  freeMinutesAfter: Record<number, number>;
};

const norm = (v: string | null) => (v ?? '').trim().toLowerCase();
const matches = (wanted: string[] | undefined, value: string | null) =>
  wanted === undefined || wanted.some((w) => norm(w) === norm(value));

/**
 * Plans the assignment of leads (in the order given) to reps. A lead at an owned account goes to
 * the owner (if active, even when over capacity: the relationship wins). Otherwise the first matching
 * territory's reps, or every rep, form the pool, and a smooth weighted round-robin picks among those
 * who are active and have room for one more lead; the weights are the reps' free capacity at the
 * start of the run, so counts come out proportional to free capacity. Pure and deterministic.
 */
export function planAssignments(options: {
  leads: readonly RouteLead[];
  reps: readonly RouteRep[];
  rules: RoutingRules;
}): RoutingPlan {
  const { rules } = options;
  const effort = rules.expectedEffortMinutes;
  const free = new Map(options.reps.map((r) => [r.id, r.freeMinutes]));
  const weight = new Map(options.reps.map((r) => [r.id, Math.max(0, r.freeMinutes)]));
  const current = new Map(options.reps.map((r) => [r.id, 0]));
  const byExternal = new Map(options.reps.map((r) => [r.externalId, r]));
  const assignments: Assignment[] = [];
  const unassigned: Unassigned[] = [];

  for (const lead of options.leads) {
    const owner =
      lead.accountOwnerRepId === null ? undefined : options.reps.find((r) => r.id === lead.accountOwnerRepId);
    if (rules.accountOwnership && owner?.active) {
      const before = free.get(owner.id)!;
      free.set(owner.id, before - effort);
      assignments.push({
        leadId: lead.id,
        repId: owner.id,
        reason: 'account_owner',
        data: { rule: 'account_owner', free_minutes_before: round(before), over_capacity: before < effort },
      });
      continue;
    }
    const territory = rules.territories.find(
      (t) =>
        matches(t.country, lead.country) &&
        matches(t.region, lead.region) &&
        matches(t.segment, lead.segment),
    );
    const pool = territory
      ? territory.reps.flatMap((ext) => {
          const rep = byExternal.get(ext);
          return rep ? [rep] : [];
        })
      : options.reps;
    const eligible = pool.filter((r) => r.active && free.get(r.id)! >= effort && weight.get(r.id)! > 0);
    if (eligible.length === 0) {
      unassigned.push({ leadId: lead.id, reason: 'no_capacity', territory: territory?.name ?? null });
      continue;
    }
    // Smooth weighted round-robin (as in nginx): deterministic, evenly interleaved.
    let total = 0;
    let best = eligible[0]!;
    for (const rep of eligible) {
      const w = weight.get(rep.id)!;
      total += w;
      current.set(rep.id, current.get(rep.id)! + w);
      if (current.get(rep.id)! > current.get(best.id)!) best = rep;
    }
    current.set(best.id, current.get(best.id)! - total);
    const before = free.get(best.id)!;
    free.set(best.id, before - effort);
    assignments.push({
      leadId: lead.id,
      repId: best.id,
      reason: territory ? 'territory' : 'round_robin',
      data: {
        rule: territory ? `territory:${territory.name}` : 'round_robin',
        free_minutes_before: round(before),
        weight: round(weight.get(best.id)!),
        pool: eligible.length,
      },
    });
  }
  return {
    assignments,
    unassigned,
    freeMinutesAfter: Object.fromEntries([...free].map(([k, v]) => [k, round(v)])),
  };
}

const round = (x: number) => Math.round(x * 100) / 100;

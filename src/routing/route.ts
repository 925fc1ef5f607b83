import type { Kysely } from 'kysely';
import { readSetting } from '../settings/workspace-settings.ts';
import type { Database } from '../store/schema.ts';
import { planAssignments, type RoutingPlan } from './assign.ts';
import { repCapacities } from './capacity.ts';
import { ROUTING_KEY, RoutingRulesSetting } from './rules.ts';

export type RouteResult = {
  assigned: Array<{
    leadId: number;
    externalId: string;
    repId: number;
    rep: string;
    reason: string;
    rule: string;
  }>;
  unassigned: Array<{ leadId: number; externalId: string; territory: string | null }>;
  /** Set when leads were left unassigned: sales cannot work what marketing produces. */
  overload: null | { unassignedLeads: number; minutesNeeded: number; freeMinutes: number; message: string };
};

/**
 * Assigns every unowned MQL (status `mql`: never the nurture pool) by the workspace's routing rules,
 * highest score first, recording each assignment as a lead event 'assigned' with why.
 */
export async function routeNewLeads(
  db: Kysely<Database>,
  options: { now: number; limit?: number },
): Promise<RouteResult> {
  const rules = await readSetting(db, ROUTING_KEY, RoutingRulesSetting);
  let query = db
    .selectFrom('leads')
    .leftJoin('accounts', 'accounts.id', 'leads.account_id')
    .select([
      'leads.id',
      'leads.external_id',
      'leads.country',
      'leads.region',
      'leads.segment',
      'accounts.owner_rep_id as account_owner',
    ])
    .where('leads.status', '=', 'mql')
    .where('leads.owner_rep_id', 'is', null)
    .orderBy('leads.score', (ob) => ob.desc().nullsLast())
    .orderBy('leads.handed_over_at')
    .orderBy('leads.id');
  if (options.limit) query = query.limit(options.limit);
  const leads = await query.execute();
  const capacities = await repCapacities(db, rules);
  const plan: RoutingPlan = planAssignments({
    leads: leads.map((l) => ({
      id: l.id,
      country: l.country,
      region: l.region,
      segment: l.segment,
      accountOwnerRepId: l.account_owner,
    })),
    reps: capacities.map((c) => ({
      id: c.repId,
      externalId: c.externalId,
      active: c.active,
      freeMinutes: c.freeMinutes,
    })),
    rules,
  });
  const external = new Map(leads.map((l) => [l.id, l.external_id]));
  const repName = new Map(capacities.map((c) => [c.repId, c.externalId]));
  await db.transaction().execute(async (trx) => {
    for (const a of plan.assignments) {
      await trx
        .updateTable('leads')
        .set({ owner_rep_id: a.repId, updated_at: options.now })
        .where('id', '=', a.leadId)
        .execute();
      await trx
        .insertInto('lead_events')
        .values({
          lead_id: a.leadId,
          kind: 'assigned',
          from_status: 'mql',
          to_status: 'mql',
          occurred_at: options.now,
          actor: 'router',
          reason_code: a.reason,
          reason_text: null,
          data: JSON.stringify({ rep_id: a.repId, rep: repName.get(a.repId), ...a.data }),
        })
        .execute();
    }
  });
  const freeMinutes = Object.values(plan.freeMinutesAfter).reduce((s, m) => s + Math.max(0, m), 0);
  const minutesNeeded = plan.unassigned.length * rules.expectedEffortMinutes;
  return {
    assigned: plan.assignments.map((a) => ({
      leadId: a.leadId,
      externalId: external.get(a.leadId)!,
      repId: a.repId,
      rep: repName.get(a.repId)!,
      reason: a.reason,
      rule: String(a.data.rule),
    })),
    unassigned: plan.unassigned.map((u) => ({
      leadId: u.leadId,
      externalId: external.get(u.leadId)!,
      territory: u.territory,
    })),
    overload: plan.unassigned.length
      ? {
          unassignedLeads: plan.unassigned.length,
          minutesNeeded,
          freeMinutes,
          message: `no rep has capacity for ${plan.unassigned.length} MQL(s): they need ~${Math.round(minutesNeeded / 60)} h and reps have ${Math.round(freeMinutes / 60)} h free in the pools they route to — marketing is producing more than sales can work`,
        }
      : null,
  };
}

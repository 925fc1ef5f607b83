import type { Kysely } from 'kysely';
import { openLeadStatuses } from '../domain/words.ts';
import type { Database } from '../store/schema.ts';
import type { RoutingRules } from './rules.ts';

export type RepCapacity = {
  repId: number;
  externalId: string;
  name: string;
  active: boolean;
  availableMinutes: number;
  committedMinutes: number;
  openLeads: number;
  freeMinutes: number;
};

/**
 * Free capacity per rep: monthly hours × follow-up share, minus the effort of the open leads they
 * hold (each counted as the larger of the expected effort and the effort already spent, lead_stats).
 * INTERIM definition until the SLA helper's capacity report lands; it should call this or replace it.
 */
export async function repCapacities(db: Kysely<Database>, rules: RoutingRules): Promise<RepCapacity[]> {
  const reps = await db.selectFrom('reps').selectAll().orderBy('id').execute();
  const open = await db
    .selectFrom('leads')
    .leftJoin('lead_stats', 'lead_stats.lead_id', 'leads.id')
    .select(['leads.owner_rep_id', 'lead_stats.effort_minutes'])
    .where('leads.owner_rep_id', 'is not', null)
    .where('leads.status', 'in', [...openLeadStatuses])
    .execute();
  const committed = new Map<number, { minutes: number; leads: number }>();
  for (const lead of open) {
    const c = committed.get(lead.owner_rep_id!) ?? { minutes: 0, leads: 0 };
    c.minutes += Math.max(rules.expectedEffortMinutes, lead.effort_minutes ?? 0);
    c.leads++;
    committed.set(lead.owner_rep_id!, c);
  }
  return reps.map((rep) => {
    const availableMinutes = rep.monthly_capacity_hours * 60 * rules.followUpShare;
    const c = committed.get(rep.id) ?? { minutes: 0, leads: 0 };
    return {
      repId: rep.id,
      externalId: rep.external_id,
      name: rep.name,
      active: rep.active === 1,
      availableMinutes,
      committedMinutes: c.minutes,
      openLeads: c.leads,
      freeMinutes: availableMinutes - c.minutes,
    };
  });
}

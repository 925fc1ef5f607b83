import type { Kysely } from 'kysely';
import { evaluateLeads } from '../../sla/evaluate-leads.ts';
import type { Database } from '../../store/schema.ts';
import type { CherryPickLeadRow } from './report.ts';

/**
 * Per-lead rows for the cherry-pick report: lead attributes and owner from the store, and the
 * "worked" outcome from the SLA engine's evaluateLeads (met the SLA's attempts, or first touch
 * within the SLA). Both queries read handed-over leads in lead-id order, so they zip row by row.
 */
export async function loadCherryPickRows(
  db: Kysely<Database>,
  options: {
    now: number;
    since?: number | undefined;
    until?: number | undefined;
    /** Filled with the time spent in each step (benchmarks). */
    timings?: { slaMs?: number; attributesMs?: number };
  },
): Promise<CherryPickLeadRow[]> {
  const t0 = performance.now();
  const sla = await evaluateLeads(db, { now: options.now, since: options.since, until: options.until });
  const t1 = performance.now();
  let q = db
    .selectFrom('leads as l')
    .leftJoin('reps as r', 'r.id', 'l.owner_rep_id')
    .leftJoin('teams as t', 't.id', 'r.team_id')
    .leftJoin('lead_stats as s', 's.lead_id', 'l.id')
    .select([
      'l.id',
      'l.external_id',
      'l.score',
      'l.title',
      'l.company',
      'l.company_domain',
      'l.employees',
      'l.annual_revenue',
      'l.industry',
      'l.owner_rep_id',
      'r.name as rep_name',
      'r.team_id',
      't.name as team_name',
      'l.source',
      'l.handed_over_at',
      's.first_touch_at',
    ])
    .where('l.handed_over_at', 'is not', null);
  if (options.since !== undefined) q = q.where('l.handed_over_at', '>=', options.since);
  if (options.until !== undefined) q = q.where('l.handed_over_at', '<', options.until);
  const leads = await q.orderBy('l.id').execute();
  if (options.timings) {
    options.timings.slaMs = t1 - t0;
    options.timings.attributesMs = performance.now() - t1;
  }
  const out: CherryPickLeadRow[] = new Array(leads.length);
  let j = 0;
  for (let i = 0; i < leads.length; i++) {
    const l = leads[i]!;
    while (j < sla.length && sla[j]!.lead_id < l.id) j++;
    const outcome = sla[j]?.lead_id === l.id ? sla[j] : undefined;
    out[i] = {
      leadId: l.id,
      externalId: l.external_id,
      score: l.score,
      title: l.title,
      company: l.company,
      companyDomain: l.company_domain,
      employees: l.employees,
      annualRevenue: l.annual_revenue,
      industry: l.industry,
      repId: l.owner_rep_id,
      repName: l.rep_name,
      teamId: l.team_id,
      teamName: l.team_name,
      source: l.source,
      handedOverAt: l.handed_over_at!,
      worked: outcome?.worked ?? false,
      firstTouchAt: l.first_touch_at,
    };
  }
  return out;
}

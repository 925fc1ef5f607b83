import { type Kysely, sql } from 'kysely';
import { evaluateLeadColumns } from '../../sla/evaluate-leads.ts';
import { readReps } from '../../sla/lead-facts.ts';
import { unmatchedFields } from '../../sla/policy.ts';
import { loadActivePolicies } from '../../sla/policy-store.ts';
import type { Database } from '../../store/schema.ts';
import { selectColumns } from '../../store/select-columns.ts';
import type { CherryPickLeadRow } from './report.ts';

/**
 * Per-lead rows for the cherry-pick report (the row form: callers that filter or inspect rows, and the
 * reference the column path is tested against; the CLI and the API use cherryPickReportFromStore): lead attributes and owner from the store, and the
 * "worked" outcome from the SLA engine (met the SLA's attempts, or first touch within the SLA; as
 * evaluateLeads' `worked`). Both are read as columns (no driver object per lead) in lead-id order
 * and zipped; reps and teams come from a lookup.
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
  const { policies } = await loadActivePolicies(db);
  const { cols, sla } = await evaluateLeadColumns(db, {
    now: options.now,
    since: options.since,
    until: options.until,
    policies,
    omit: unmatchedFields(policies),
  });
  const t1 = performance.now();
  const reps = await readReps(db);
  const a = await selectColumns(db, {
    page: (after) => {
      let q = db
        .selectFrom('leads as l')
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
          'l.source',
          'l.handed_over_at',
          's.first_touch_at',
        ])
        .where('l.handed_over_at', 'is not', null)
        .where(sql.ref('l.id'), '>', after);
      if (options.since !== undefined) q = q.where('l.handed_over_at', '>=', options.since);
      if (options.until !== undefined) q = q.where('l.handed_over_at', '<', options.until);
      return q;
    },
    columns: {
      id: 'int',
      external_id: 'text',
      score: 'real',
      title: 'text',
      company: 'text',
      company_domain: 'text',
      employees: 'real',
      annual_revenue: 'real',
      industry: 'text',
      owner_rep_id: 'int',
      source: 'text',
      handed_over_at: 'int',
      first_touch_at: 'int',
    },
    orderBy: 'id',
  });
  if (options.timings) {
    options.timings.slaMs = t1 - t0;
    options.timings.attributesMs = performance.now() - t1;
  }
  const n = a.id.length;
  const out: CherryPickLeadRow[] = new Array(n);
  let j = 0;
  for (let i = 0; i < n; i++) {
    const id = a.id[i] as number;
    while (j < cols.n && cols.leadId[j]! < id) j++;
    const worked = cols.leadId[j] === id && (sla.attemptsMet[j] === 1 || sla.firstTouchWithinSla[j] === 1);
    const repId = a.owner_rep_id[i] as number | null;
    const rep = repId === null ? undefined : reps.get(repId);
    out[i] = {
      leadId: id,
      externalId: a.external_id[i] as string,
      score: a.score[i] as number | null,
      title: a.title[i] as string | null,
      company: a.company[i] as string | null,
      companyDomain: a.company_domain[i] as string | null,
      employees: a.employees[i] as number | null,
      annualRevenue: a.annual_revenue[i] as number | null,
      industry: a.industry[i] as string | null,
      repId,
      repName: rep?.name ?? null,
      teamId: rep?.team_id ?? null,
      teamName: rep?.team_name ?? null,
      source: a.source[i] as string | null,
      handedOverAt: a.handed_over_at[i] as number,
      worked,
      firstTouchAt: a.first_touch_at[i] as number | null,
    };
  }
  return out;
}

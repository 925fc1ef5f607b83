import { type Kysely, sql } from 'kysely';
import { evaluateSlaColumns } from '../../sla/evaluate-columns.ts';
import { readLeadColumns } from '../../sla/lead-columns.ts';
import { readOpportunities, readReps } from '../../sla/lead-facts.ts';
import { unmatchedFields } from '../../sla/policy.ts';
import { loadActivePolicies } from '../../sla/policy-store.ts';
import type { Database } from '../../store/schema.ts';
import { buildReportLeads } from './classify.ts';
import type { LaterOpportunity, ReportBy, ReportData } from './report-types.ts';

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/**
 * The thin store layer under every report: one read of the per-lead facts (leads ⨝ lead_stats — never
 * the activities), the won deals, and later opportunities of rejected/disqualified leads; then the
 * SLA evaluation of every lead, once for the whole set of reports.
 */
export async function loadReportData(
  db: Kysely<Database>,
  options: {
    now: number;
    since?: number | undefined;
    until?: number | undefined;
    needLater?: boolean;
    by?: ReportBy | undefined;
  },
): Promise<ReportData> {
  const { policies, origin } = await loadActivePolicies(db);
  const omit = unmatchedFields(policies).filter((c) => !(c === 'campaign' && options.by === 'campaign'));
  const cols = await readLeadColumns(db, {
    since: options.since,
    until: options.until,
    includeNurture: true,
    omit,
  });
  const reps = await readReps(db);
  const opportunityOf = await readOpportunities(db);
  // One pass over the columns evaluates every lead; a second builds each report's per-lead object.
  const sla = evaluateSlaColumns({
    cols,
    policies,
    now: options.now,
    repTimeZone: (id) => reps.get(id)?.time_zone ?? null,
  });
  const leads = buildReportLeads({ cols, sla, policies, reps, opportunityOf });
  const won = await db
    .selectFrom('opportunities')
    .select('amount')
    .where('won', '=', 1)
    .where('amount', 'is not', null)
    .orderBy('id')
    .execute();
  const laterOpportunities = options.needLater === false ? [] : await loadLaterOpportunities(db, options);
  return {
    leads,
    policies,
    policyOrigin: origin,
    wonDeals: { count: won.length, amount: won.reduce((s, o) => s + Number(o.amount), 0) },
    laterOpportunities,
  };
}

/** Opportunities at the same lead, contact e-mail or account as each rejected/disqualified lead. */
async function loadLaterOpportunities(
  db: Kysely<Database>,
  options: { since?: number | undefined; until?: number | undefined },
): Promise<LaterOpportunity[]> {
  const started = sql<number>`coalesce(l.handed_over_at, l.created_at)`;
  const base = () => {
    let q = db.selectFrom('leads as l').where('l.status', 'in', ['rejected', 'disqualified']);
    if (options.since !== undefined) q = q.where(started, '>=', options.since);
    if (options.until !== undefined) q = q.where(started, '<', options.until);
    return q;
  };
  const cols = ['l.id as lead_id', 'o.opened_at', 'o.closed_at', 'o.won'] as const;
  const rows = await base()
    .innerJoin('opportunities as o', 'o.lead_id', 'l.id')
    .select([...cols, sql<string>`'lead'`.as('via')])
    .unionAll(
      base()
        .innerJoin('opportunities as o', 'o.account_id', 'l.account_id')
        .where('l.account_id', 'is not', null)
        .where((eb) => eb.or([eb('o.lead_id', 'is', null), eb('o.lead_id', '!=', eb.ref('l.id'))]))
        .select([...cols, sql<string>`'account'`.as('via')]),
    )
    .unionAll(
      base()
        .innerJoin('contacts as c', 'c.email', 'l.email')
        .innerJoin('opportunities as o', 'o.contact_id', 'c.id')
        .where('l.email', 'is not', null)
        .select([...cols, sql<string>`'contact'`.as('via')]),
    )
    .execute();
  return rows.map((r) => ({
    lead_id: Number(r.lead_id),
    opened_at: num(r.opened_at),
    closed_at: num(r.closed_at),
    won: num(r.won),
    via: r.via,
  }));
}

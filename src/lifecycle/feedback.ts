import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';

export type FeedbackRow = {
  campaign: string;
  source: string;
  kind: 'rejected' | 'disqualified';
  reason_code: string;
  category: string;
  leads: number;
  /** Of those, how many converted after the rejection/disqualification (was sales right?). */
  converted_later: number;
  /** …had an opportunity opened at the same lead or account within 24 months after it. */
  later_opportunity: number;
  /** …of which won. */
  later_won: number;
};

const HORIZON_MS = 730 * 86_400_000;

/**
 * Reason codes of rejections and disqualifications per campaign and source, with how many of those
 * leads converted afterwards. (The SLA helper's rejected-outcomes report refines "later outcome"
 * by contact e-mail too; this looks at the same lead and account, 24 months after the event.)
 */
export async function feedbackReport(
  db: Kysely<Database>,
  options: { since?: number; until?: number } = {},
): Promise<FeedbackRow[]> {
  let q = db
    .selectFrom('lead_events')
    .innerJoin('leads', 'leads.id', 'lead_events.lead_id')
    .select([
      'lead_events.kind',
      'lead_events.reason_code',
      'lead_events.data',
      'lead_events.occurred_at',
      'leads.id as lead_id',
      'leads.campaign',
      'leads.source',
      'leads.converted_at',
      'leads.account_id',
    ])
    .where('lead_events.kind', 'in', ['rejected', 'disqualified']);
  if (options.since !== undefined) q = q.where('lead_events.occurred_at', '>=', options.since);
  if (options.until !== undefined) q = q.where('lead_events.occurred_at', '<', options.until);
  const rows = await q.execute();
  // Opportunities at the same lead or account (the rejected-outcomes report's "via lead / account").
  const leadIds = [...new Set(rows.map((r) => r.lead_id))];
  const accountIds = [...new Set(rows.flatMap((r) => (r.account_id === null ? [] : [r.account_id])))];
  const opportunities = leadIds.length
    ? await db
        .selectFrom('opportunities')
        .select(['lead_id', 'account_id', 'opened_at', 'created_at', 'won'])
        .where((eb) =>
          eb.or([
            eb('lead_id', 'in', leadIds),
            ...(accountIds.length ? [eb('account_id', 'in', accountIds)] : []),
          ]),
        )
        .execute()
    : [];
  const groups = new Map<string, FeedbackRow>();
  for (const r of rows) {
    let category = '';
    if (r.data) {
      try {
        category = String((JSON.parse(r.data) as { category?: string }).category ?? '');
      } catch {
        category = '';
      }
    }
    const row: FeedbackRow = {
      campaign: r.campaign ?? '(none)',
      source: r.source ?? '(none)',
      kind: r.kind as FeedbackRow['kind'],
      reason_code: r.reason_code ?? '(none)',
      category,
      leads: 0,
      converted_later: 0,
      later_opportunity: 0,
      later_won: 0,
    };
    const key = JSON.stringify([row.campaign, row.source, row.kind, row.reason_code, row.category]);
    const g = groups.get(key) ?? row;
    g.leads++;
    if (r.converted_at !== null && r.converted_at > r.occurred_at) g.converted_later++;
    const later = opportunities.filter((o) => {
      const opened = o.opened_at ?? o.created_at;
      const same = o.lead_id === r.lead_id || (r.account_id !== null && o.account_id === r.account_id);
      return same && opened >= r.occurred_at && opened <= r.occurred_at + HORIZON_MS;
    });
    if (later.length) g.later_opportunity++;
    if (later.some((o) => o.won === 1)) g.later_won++;
    groups.set(key, g);
  }
  return [...groups.values()].sort(
    (a, b) =>
      a.campaign.localeCompare(b.campaign) ||
      a.source.localeCompare(b.source) ||
      a.kind.localeCompare(b.kind) ||
      b.leads - a.leads ||
      a.reason_code.localeCompare(b.reason_code),
  );
}

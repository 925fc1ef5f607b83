import { LeadStatus } from '../../domain/words.ts';
import type { LeadRow } from '../../store/schema.ts';
import type { Lead, LeadSummary } from './leads.types.ts';

export type LeadSummaryRow = Pick<
  LeadRow,
  | 'id'
  | 'external_id'
  | 'name'
  | 'first_name'
  | 'last_name'
  | 'email'
  | 'title'
  | 'company'
  | 'source'
  | 'campaign'
  | 'score'
  | 'status'
  | 'owner_rep_id'
  | 'handed_over_at'
> & {
  owner_rep_name: string | null;
  touches: number | null;
  first_touch_at: number | null;
  last_touch_at: number | null;
};

const displayName = (r: Pick<LeadRow, 'name' | 'first_name' | 'last_name'>): string | null =>
  r.name ?? ([r.first_name, r.last_name].filter(Boolean).join(' ') || null);

// Unknown statuses (a bad import) show as 'mql' rather than breaking the whole list.
const status = (s: string): LeadStatus => LeadStatus.catch('mql').parse(s);

export const toLeadSummary = (r: LeadSummaryRow): LeadSummary => ({
  id: r.id,
  externalId: r.external_id,
  name: displayName(r),
  email: r.email,
  title: r.title,
  company: r.company,
  source: r.source,
  campaign: r.campaign,
  score: r.score,
  status: status(r.status),
  ownerRepId: r.owner_rep_id,
  ownerRepName: r.owner_rep_name,
  handedOverAt: r.handed_over_at,
  touches: r.touches ?? 0,
  firstTouchAt: r.first_touch_at,
  lastTouchAt: r.last_touch_at,
});

export const toLead = (r: LeadRow & Omit<LeadSummaryRow, keyof LeadRow>): Lead => ({
  ...toLeadSummary(r),
  firstName: r.first_name,
  lastName: r.last_name,
  phone: r.phone,
  companyDomain: r.company_domain,
  industry: r.industry,
  employees: r.employees,
  annualRevenue: r.annual_revenue,
  country: r.country,
  region: r.region,
  segment: r.segment,
  landingPage: r.landing_page,
  fitScore: r.fit_score,
  behaviourScore: r.behaviour_score,
  predictedScore: r.predicted_score,
  accountId: r.account_id,
  dispositionReason: r.disposition_reason,
  convertedAt: r.converted_at,
  opportunityId: r.opportunity_id,
  flags: (r.flags ?? '')
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

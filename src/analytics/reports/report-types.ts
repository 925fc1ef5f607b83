import { z } from 'zod';
import type { SlaEvaluation } from '../../sla/evaluate.ts';
import type { LeadFacts } from '../../sla/lead-facts.ts';
import type { SlaPolicy } from '../../sla/policy.ts';

export const ReportBy = z.enum(['rep', 'team', 'source', 'campaign', 'week', 'month']);
export type ReportBy = z.infer<typeof ReportBy>;

export type Cell = string | number | boolean | null;
export type ReportTable = { name: string; title: string; rows: Record<string, Cell>[] };

/** Every report returns its definitions and inputs beside its numbers, so a user can check the arithmetic. */
export type ReportResult = {
  report: string;
  title: string;
  definitions: string[];
  inputs: Record<string, Cell>;
  tables: ReportTable[];
  notes: string[];
};

/** Lead facts no report reads: left out of the per-lead object (smaller objects, less to collect). */
type UnreadFacts =
  | 'segment'
  | 'score'
  | 'account_id'
  | 'rep_time_zone'
  | 'first_touch_at'
  | 'last_touch_at'
  | 'responses'
  | 'max_gap_ms'
  | 'opportunity_id'
  | 'opportunity_won'
  | 'opportunity_amount';

/**
 * One lead as every report sees it: the facts the reports read, its SLA result and its classifications,
 * flattened into one object built once (one shape, one hop per field: the passes stay fast at 100k+).
 */
export type EvaluatedLead = Omit<LeadFacts, UnreadFacts> & {
  policy: string;
  state: SlaEvaluation['state'];
  attempts_met: boolean;
  first_touch_within_sla: boolean | null;
  time_to_first_touch_ms: number | null;
  premature_close: boolean;
  /** Handed over and the SLA applies. */
  mql: boolean;
  category: 'properly' | 'in_progress' | 'never_worked' | 'worked_but_short';
  converted: boolean;
  won: boolean;
  /** Month (UTC) of the hand-over, or of creation for leads never handed over. */
  month: string;
};

export type ReportSettings = {
  now: number;
  by?: ReportBy | undefined;
  since?: number | undefined;
  until?: number | undefined;
  /** Share of a rep's monthly capacity meant for lead follow-up (capacity report). */
  followUpShare: number;
  /** Sources that mean "sales created it" (cold/outbound). */
  coldSources: readonly string[];
};

export const defaultReportSettings = {
  followUpShare: 1,
  coldSources: ['cold', 'outbound', 'cold_outbound', 'cold/outbound', 'sdr_outbound', 'prospecting'],
} as const;

/** Everything the reports read, loaded once for the whole set. */
export type ReportData = {
  leads: EvaluatedLead[];
  policies: readonly SlaPolicy[];
  policyOrigin: string;
  /** Won opportunities in the workspace: count and amount total (for the average deal size). */
  wonDeals: { count: number; amount: number };
  /** Later opportunities at the same person or account, for rejected/disqualified leads. */
  laterOpportunities: LaterOpportunity[];
};

export type LaterOpportunity = {
  lead_id: number;
  opened_at: number | null;
  closed_at: number | null;
  won: number | null;
  /** 'lead' | 'contact' | 'account'. */
  via: string;
};

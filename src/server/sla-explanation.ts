import { explainLead } from '../sla/explain-lead.ts';
import type { LeadRow } from '../store/schema.ts';
import type { SlaExplanation } from './api/leads.types.ts';
import type { ServerDeps } from './route.ts';

/**
 * The lead's SLA state explained by the sla capability (its evaluation and sentences). Leads never
 * handed over (the nurture pool) have no SLA clock: null.
 */
export async function explainSla(
  deps: ServerDeps,
  options: { lead: LeadRow; now: number },
): Promise<SlaExplanation | null> {
  if (options.lead.handed_over_at === null) return null;
  const { evaluation, lines } = await explainLead(deps.store.db, {
    lead: String(options.lead.id),
    now: options.now,
  });
  return { state: evaluation.state, policy: evaluation.policy, reasons: lines, detail: evaluation };
}

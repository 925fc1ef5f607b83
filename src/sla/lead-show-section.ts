import type { LeadShowSection } from '../cli/commands/leads.ts';
import { explainLead } from './explain-lead.ts';

/** The SLA block of `gleaner leads show`: the state in sentences with the touch timeline (JSON: the evaluation). */
export const slaShowSection: LeadShowSection = {
  key: 'sla',
  title: 'SLA',
  build: async (store, detail) => {
    const { evaluation, lines } = await explainLead(store.db, {
      lead: String(detail.lead.id),
      now: Date.now(),
    });
    return { lines, data: evaluation };
  },
};

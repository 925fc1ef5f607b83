import { LeadStatus } from '../../domain/words.ts';
import { notFound } from '../../errors/app-error.ts';
import { applyTransition } from '../../lifecycle/apply.ts';
import { skipLead } from '../../routing/queue.ts';
import type { Principal } from '../auth/principal.ts';
import { scopeLeads } from '../lead-scope.ts';
import type { ServerDeps } from '../route.ts';
import type { QueueActionRequest, QueueActionResponse } from './queue.types.ts';

/**
 * Accept / reject / skip / disqualify a lead the caller may see (404 otherwise), through the
 * lifecycle and routing capabilities: their rules decide what is allowed and which reason codes
 * exist (409 for an impossible transition, 400 for a missing or unknown reason code).
 */
export async function applyQueueAction(
  deps: ServerDeps,
  options: { principal: Principal; leadId: number; input: QueueActionRequest },
): Promise<QueueActionResponse> {
  const { principal, leadId, input } = options;
  const db = deps.store.db;
  const lead = await scopeLeads(db.selectFrom('leads'), principal)
    .select(['leads.id', 'leads.status', 'leads.owner_rep_id'])
    .where('leads.id', '=', leadId)
    .executeTakeFirst();
  if (!lead) throw notFound(`no lead with id ${leadId}`);
  const fromStatus = LeadStatus.parse(lead.status);
  const now = deps.now();
  let toStatus = fromStatus;
  if (input.action === 'skip') {
    if (lead.owner_rep_id === null) throw notFound(`lead ${leadId} is in no rep's queue`);
    await skipLead(db, {
      repId: lead.owner_rep_id,
      leadId,
      reasonCode: input.reasonCode,
      ...(input.reasonText ? { note: input.reasonText } : {}),
      now,
    });
  } else {
    const result = await applyTransition(db, {
      leadId,
      action: input.action,
      actor:
        principal.repId !== null && principal.role === 'rep'
          ? `rep:${principal.repId}`
          : `user:${principal.userId}`,
      now,
      reasonCode: input.reasonCode,
      reasonText: input.reasonText,
    });
    toStatus = result.toStatus;
  }
  const event = await db
    .selectFrom('lead_events')
    .select('id')
    .where('lead_id', '=', leadId)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  return { leadId, action: input.action, fromStatus, toStatus, eventId: event.id };
}

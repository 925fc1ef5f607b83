import type { Kysely } from 'kysely';
import { AppError, notFound } from '../errors/app-error.ts';
import { readSetting } from '../settings/workspace-settings.ts';
import type { Database } from '../store/schema.ts';
import { REASON_CODES_KEY, ReasonCodesSetting } from './reason-codes.ts';
import { type LifecycleAction, type Transition, transition } from './transitions.ts';

export type ApplyTransitionOptions = {
  leadId: number;
  action: LifecycleAction;
  actor: string;
  now: number;
  reasonCode?: string | undefined;
  reasonText?: string | undefined;
  /** Extra JSON for the lead event (e.g. why a lead crossed the MQL bar). */
  data?: Record<string, unknown>;
  /** Only act when the lead is owned by this rep (a rep acts on their own leads only). */
  ownerRepId?: number;
  /** Whether the SLA's attempts are met (needed for `unresponsive`). */
  attemptsMet?: boolean;
};

/** Validates and applies one lifecycle action in a transaction, writing its lead event. */
export async function applyTransition(
  db: Kysely<Database>,
  options: ApplyTransitionOptions,
): Promise<Transition> {
  const reasonCodes = await readSetting(db, REASON_CODES_KEY, ReasonCodesSetting);
  return db.transaction().execute(async (trx) => {
    const lead = await trx
      .selectFrom('leads')
      .leftJoin('lead_stats', 'lead_stats.lead_id', 'leads.id')
      .select(['leads.id', 'leads.status', 'leads.owner_rep_id', 'lead_stats.touches'])
      .where('leads.id', '=', options.leadId)
      .executeTakeFirst();
    if (!lead) throw notFound(`no lead with id ${options.leadId}`);
    if (options.ownerRepId !== undefined && lead.owner_rep_id !== options.ownerRepId) {
      throw new AppError('forbidden', `lead ${options.leadId} is not assigned to this rep`);
    }
    const result = transition({
      lead: { status: lead.status, touches: lead.touches ?? 0, attemptsMet: options.attemptsMet ?? false },
      action: options.action,
      reasonCode: options.reasonCode,
      reasonText: options.reasonText,
      reasonCodes,
    });
    await trx
      .updateTable('leads')
      .set({
        status: result.toStatus,
        updated_at: options.now,
        ...(result.setsHandedOverAt ? { handed_over_at: options.now, owner_rep_id: null } : {}),
        ...(result.clears.includes('handed_over_at') ? { handed_over_at: null } : {}),
        ...(result.clears.includes('owner_rep_id') ? { owner_rep_id: null } : {}),
        ...(options.action === 'reject' || options.action === 'disqualify'
          ? { disposition_reason: result.reasonCode }
          : {}),
      })
      .where('id', '=', options.leadId)
      .execute();
    const data = { ...options.data, ...(result.category ? { category: result.category } : {}) };
    await trx
      .insertInto('lead_events')
      .values({
        lead_id: options.leadId,
        kind: result.eventKind,
        from_status: lead.status,
        to_status: result.toStatus,
        occurred_at: options.now,
        actor: options.actor,
        reason_code: result.reasonCode,
        reason_text: options.reasonText ?? null,
        data: Object.keys(data).length ? JSON.stringify(data) : null,
      })
      .execute();
    return result;
  });
}

import type { Kysely } from 'kysely';
import { z } from 'zod';
import { openLeadStatuses } from '../domain/words.ts';
import { AppError, badInput, notFound } from '../errors/app-error.ts';
import { applyTransition } from '../lifecycle/apply.ts';
import { REASON_CODES_KEY, ReasonCodesSetting } from '../lifecycle/reason-codes.ts';
import type { Transition } from '../lifecycle/transitions.ts';
import { readSetting } from '../settings/workspace-settings.ts';
import { evaluateLeadFacts } from '../sla/evaluate-leads.ts';
import { loadLeadFacts } from '../sla/lead-facts.ts';
import { loadActivePolicies } from '../sla/policy-store.ts';
import type { Database } from '../store/schema.ts';

const HOUR_MS = 3_600_000;

/** Work-queue settings (`workspace_settings` key `queue`). */
export const QueueSettings = z
  .object({
    /** Blind mode: company and title are shown only for the lead the rep opens next. */
    blind: z.boolean().default(false),
    // Fallback for leads the SLA engine cannot evaluate: first touch due this many hours after
    // hand-over, then the next touch at most this many days after the last one.
    firstTouchHours: z.number().positive().default(24),
    maxGapDays: z.number().positive().default(3),
  })
  .strict();
export type QueueSettings = z.infer<typeof QueueSettings>;
export const QUEUE_KEY = 'queue';
export const QueueSettingsSetting = QueueSettings.default(QueueSettings.parse({}));

export type QueueLeadInput = {
  id: number;
  externalId: string;
  name: string | null;
  company: string | null;
  title: string | null;
  email?: string | null;
  source?: string | null;
  campaign?: string | null;
  status: string;
  score: number | null;
  handedOverAt: number | null;
  firstTouchAt: number | null;
  lastTouchAt: number | null;
  touches: number;
  /** From the SLA engine when it evaluated the lead: the next deadline (first touch, then max gap). */
  sla?: { deadline: number | null; state: string } | undefined;
};

export type QueueItem = {
  position: number;
  leadId: number;
  externalId: string;
  name: string | null;
  /** Null in blind mode until the rep opens the lead. */
  company: string | null;
  title: string | null;
  /** Null in blind mode too: an address's domain names the company. */
  email: string | null;
  source: string | null;
  campaign: string | null;
  status: string;
  score: number | null;
  handedOverAt: number | null;
  firstTouchAt: number | null;
  lastTouchAt: number | null;
  touches: number;
  deadline: number | null;
  overdue: boolean;
  /** SLA state (pending, at_risk, breached, met) when the SLA engine evaluated the lead. */
  slaState: string | null;
  hidden: boolean;
};

/** Next SLA deadline of a lead: the first touch after hand-over, then the maximum gap after the last touch. */
export function nextDeadline(lead: QueueLeadInput, settings: QueueSettings): number | null {
  if (lead.sla) return lead.sla.deadline;
  if (lead.firstTouchAt === null) {
    return lead.handedOverAt === null ? null : lead.handedOverAt + settings.firstTouchHours * HOUR_MS;
  }
  return (lead.lastTouchAt ?? lead.firstTouchAt) + settings.maxGapDays * 24 * HOUR_MS;
}

/**
 * Orders a rep's open leads: earliest SLA deadline first, then highest score, then oldest id. Pure.
 * In blind mode company and title are withheld from every lead except `openedLeadId`.
 */
export function orderQueue(options: {
  leads: readonly QueueLeadInput[];
  settings: QueueSettings;
  now: number;
  openedLeadId?: number;
}): QueueItem[] {
  const items = options.leads
    .filter((l) => (openLeadStatuses as readonly string[]).includes(l.status))
    .map((l) => ({ lead: l, deadline: nextDeadline(l, options.settings) }));
  items.sort(
    (a, b) =>
      (a.deadline ?? Number.POSITIVE_INFINITY) - (b.deadline ?? Number.POSITIVE_INFINITY) ||
      (b.lead.score ?? Number.NEGATIVE_INFINITY) - (a.lead.score ?? Number.NEGATIVE_INFINITY) ||
      a.lead.id - b.lead.id,
  );
  return items.map(({ lead, deadline }, i) => {
    const hidden = options.settings.blind && lead.id !== options.openedLeadId;
    return {
      position: i + 1,
      leadId: lead.id,
      externalId: lead.externalId,
      name: lead.name,
      company: hidden ? null : lead.company,
      title: hidden ? null : lead.title,
      email: hidden ? null : (lead.email ?? null),
      source: lead.source ?? null,
      campaign: lead.campaign ?? null,
      status: lead.status,
      score: lead.score,
      handedOverAt: lead.handedOverAt,
      firstTouchAt: lead.firstTouchAt,
      lastTouchAt: lead.lastTouchAt,
      touches: lead.touches,
      deadline,
      overdue: deadline !== null && deadline < options.now,
      slaState: lead.sla?.state ?? null,
      hidden,
    };
  });
}

/** Resolves a rep by numeric id or external id. */
export async function findRep(db: Kysely<Database>, rep: string) {
  const byExternal = await db
    .selectFrom('reps')
    .selectAll()
    .where('external_id', '=', rep)
    .executeTakeFirst();
  if (byExternal) return byExternal;
  if (/^\d+$/.test(rep)) {
    const byId = await db.selectFrom('reps').selectAll().where('id', '=', Number(rep)).executeTakeFirst();
    if (byId) return byId;
  }
  throw notFound(`no rep "${rep}" (give the rep's external id or numeric id)`);
}

/** Resolves a lead by external id or numeric id. */
export async function findLeadId(db: Kysely<Database>, lead: string): Promise<number> {
  const byExternal = await db
    .selectFrom('leads')
    .select('id')
    .where('external_id', '=', lead)
    .executeTakeFirst();
  if (byExternal) return byExternal.id;
  if (/^\d+$/.test(lead)) {
    const byId = await db.selectFrom('leads').select('id').where('id', '=', Number(lead)).executeTakeFirst();
    if (byId) return byId.id;
  }
  throw notFound(`no lead "${lead}" (give the lead's external id or numeric id)`);
}

/** Per lead, the SLA engine's next deadline: the first touch while none happened, then the max-gap deadline. */
async function slaDeadlines(
  db: Kysely<Database>,
  options: { leadIds: number[]; now: number },
): Promise<Map<number, { deadline: number | null; state: string }>> {
  if (options.leadIds.length === 0) return new Map();
  const { policies } = await loadActivePolicies(db);
  const facts = await loadLeadFacts(db, { leadIds: options.leadIds });
  return new Map(
    evaluateLeadFacts({ facts, policies, now: options.now }).map(({ facts: f, evaluation: e }) => [
      f.lead_id,
      {
        deadline: f.first_touch_at === null ? e.first_touch_due_at : e.next_touch_due_at,
        state: e.state,
      },
    ]),
  );
}

/** A rep's queue from the store (open leads they own; the nurture pool never appears). */
export async function repQueue(
  db: Kysely<Database>,
  options: { repId: number; now: number; openedLeadId?: number },
): Promise<{ settings: QueueSettings; items: QueueItem[] }> {
  const settings = await readSetting(db, QUEUE_KEY, QueueSettingsSetting);
  const rows = await db
    .selectFrom('leads')
    .leftJoin('lead_stats', 'lead_stats.lead_id', 'leads.id')
    .select([
      'leads.id',
      'leads.external_id',
      'leads.name',
      'leads.first_name',
      'leads.last_name',
      'leads.company',
      'leads.title',
      'leads.email',
      'leads.source',
      'leads.campaign',
      'leads.status',
      'leads.score',
      'leads.handed_over_at',
      'lead_stats.first_touch_at',
      'lead_stats.last_touch_at',
      'lead_stats.touches',
    ])
    .where('leads.owner_rep_id', '=', options.repId)
    .where('leads.status', 'in', [...openLeadStatuses])
    .execute();
  const sla = await slaDeadlines(db, { leadIds: rows.map((r) => r.id), now: options.now });
  const items = orderQueue({
    leads: rows.map((r) => ({
      id: r.id,
      externalId: r.external_id,
      name: r.name ?? ([r.first_name, r.last_name].filter(Boolean).join(' ') || null),
      company: r.company,
      title: r.title,
      email: r.email,
      source: r.source,
      campaign: r.campaign,
      status: r.status,
      score: r.score,
      handedOverAt: r.handed_over_at,
      firstTouchAt: r.first_touch_at,
      lastTouchAt: r.last_touch_at,
      touches: r.touches ?? 0,
      sla: sla.get(r.id),
    })),
    settings,
    now: options.now,
    ...(options.openedLeadId !== undefined ? { openedLeadId: options.openedLeadId } : {}),
  });
  return { settings, items };
}

/** Opens the lead on top of the queue (in blind mode, the only way to see its company and title). */
export async function openNextLead(db: Kysely<Database>, options: { repId: number; now: number }) {
  const first = await repQueue(db, options);
  const top = first.items[0];
  if (!top) return null;
  const { items } = await repQueue(db, { ...options, openedLeadId: top.leadId });
  await db
    .insertInto('lead_events')
    .values({
      lead_id: top.leadId,
      kind: 'opened',
      from_status: top.status,
      to_status: top.status,
      occurred_at: options.now,
      actor: `rep:${options.repId}`,
      reason_code: null,
      reason_text: null,
      data: JSON.stringify({ position: 1 }),
    })
    .execute();
  return items[0]!;
}

/**
 * Skips a lead that is not on top of the rep's queue: a skip reason (workspace reason codes) is
 * required, recorded as lead event 'skipped' with the lead that was on top — evidence for the
 * cherry-pick report. Working a lead ahead of the top one is a skip of every lead above it, so
 * callers record one skip per passed-over lead.
 */
export async function skipLead(
  db: Kysely<Database>,
  options: { repId: number; leadId: number; reasonCode: string | undefined; note?: string; now: number },
): Promise<{ position: number; topLeadId: number }> {
  const codes = await readSetting(db, REASON_CODES_KEY, ReasonCodesSetting);
  if (!codes.skip.some((c) => c.code === options.reasonCode)) {
    throw badInput(
      `skipping a lead needs a reason code, one of: ${codes.skip.map((c) => c.code).join(', ')}`,
      {
        field: 'reason',
      },
    );
  }
  const { items } = await repQueue(db, { repId: options.repId, now: options.now });
  const item = items.find((i) => i.leadId === options.leadId);
  if (!item) throw notFound(`lead ${options.leadId} is not in this rep's queue`);
  const top = items[0]!;
  await db
    .insertInto('lead_events')
    .values({
      lead_id: options.leadId,
      kind: 'skipped',
      from_status: item.status,
      to_status: item.status,
      occurred_at: options.now,
      actor: `rep:${options.repId}`,
      reason_code: options.reasonCode!,
      reason_text: options.note ?? null,
      data: JSON.stringify({
        position: item.position,
        top_lead_id: top.leadId,
        score: item.score,
        deadline: item.deadline,
      }),
    })
    .execute();
  return { position: item.position, topLeadId: top.leadId };
}

/** Accept / reject / disqualify a lead from the rep's queue (the rep must own it). */
export async function actOnQueueLead(
  db: Kysely<Database>,
  options: {
    repId: number;
    leadId: number;
    action: 'accept' | 'reject' | 'disqualify';
    reasonCode?: string | undefined;
    note?: string | undefined;
    now: number;
  },
): Promise<Transition> {
  if (options.action !== 'accept' && !options.reasonCode) {
    throw badInput(`--${options.action} needs --reason CODE`, { field: 'reason' });
  }
  try {
    return await applyTransition(db, {
      leadId: options.leadId,
      action: options.action,
      actor: `rep:${options.repId}`,
      now: options.now,
      reasonCode: options.reasonCode,
      reasonText: options.note,
      ownerRepId: options.repId,
    });
  } catch (error) {
    if (error instanceof AppError && error.code === 'forbidden')
      throw notFound(`lead ${options.leadId} is not in this rep's queue`);
    throw error;
  }
}

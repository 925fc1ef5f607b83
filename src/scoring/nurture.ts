import type { Kysely } from 'kysely';
import { z } from 'zod';
import { applyTransition } from '../lifecycle/apply.ts';
import { readSetting } from '../settings/workspace-settings.ts';
import type { Database } from '../store/schema.ts';

/** Statuses of the nurture pool: never listed to reps. */
export const nurtureStatuses = ['nurture', 'recycled'] as const;

/** Whether a lead is visible to reps at all (every rep-facing listing filters with this). */
export const visibleToReps = (status: string): boolean =>
  !(nurtureStatuses as readonly string[]).includes(status);

export const MQL_BAR_KEY = 'mql_bar';

/**
 * The workspace's MQL bar: a lead in the nurture pool is handed over when its score reaches
 * `threshold` (and its fit reaches `minFit`, if set), or when it shows one of `events` (e.g. a demo request).
 */
export const MqlBar = z
  .object({
    threshold: z.number().nullable().default(null),
    minFit: z.number().optional(),
    events: z.array(z.string().min(1)).default([]),
  })
  .strict();
export type MqlBar = z.infer<typeof MqlBar>;
export const MqlBarSetting = MqlBar.default({ threshold: null, events: [] });

export type BarCheck =
  | { crosses: false }
  | { crosses: true; reason: 'score' | 'event'; detail: Record<string, unknown> };

/** Pure: does this lead cross the bar, and why. */
export function checkMqlBar(options: {
  bar: MqlBar;
  lead: { score: number | null; fitScore: number | null };
  eventKinds: readonly string[];
}): BarCheck {
  const { bar, lead } = options;
  const event = bar.events.find((e) => options.eventKinds.includes(e));
  if (event) return { crosses: true, reason: 'event', detail: { event } };
  if (bar.threshold === null || lead.score === null || lead.score < bar.threshold) return { crosses: false };
  if (bar.minFit !== undefined && (lead.fitScore ?? 0) < bar.minFit) return { crosses: false };
  return {
    crosses: true,
    reason: 'score',
    detail: {
      score: lead.score,
      threshold: bar.threshold,
      ...(bar.minFit !== undefined ? { fit: lead.fitScore, minFit: bar.minFit } : {}),
    },
  };
}

/** Hands over every nurture-pool lead that crosses the bar: status mql, SLA clock starts now, event with the reason. */
export async function handOverCrossingLeads(
  db: Kysely<Database>,
  options: { now: number; batchSize?: number },
): Promise<{ checked: number; handedOver: number[] }> {
  const bar = await readSetting(db, MQL_BAR_KEY, MqlBarSetting);
  const handedOver: number[] = [];
  let checked = 0;
  let after = 0;
  const batchSize = options.batchSize ?? 1000;
  if (bar.threshold === null && bar.events.length === 0) return { checked, handedOver };
  for (;;) {
    const leads = await db
      .selectFrom('leads')
      .select(['id', 'score', 'fit_score'])
      .where('status', 'in', [...nurtureStatuses])
      .where('id', '>', after)
      .orderBy('id')
      .limit(batchSize)
      .execute();
    if (leads.length === 0) break;
    after = leads[leads.length - 1]!.id;
    checked += leads.length;
    const events = bar.events.length
      ? await db
          .selectFrom('lead_events')
          .select(['lead_id', 'kind'])
          .where(
            'lead_id',
            'in',
            leads.map((l) => l.id),
          )
          .where('kind', 'in', bar.events)
          .execute()
      : [];
    for (const lead of leads) {
      const check = checkMqlBar({
        bar,
        lead: { score: lead.score, fitScore: lead.fit_score },
        eventKinds: events.filter((e) => e.lead_id === lead.id).map((e) => e.kind),
      });
      if (!check.crosses) continue;
      await applyTransition(db, {
        leadId: lead.id,
        action: 'hand_over',
        actor: 'system',
        now: options.now,
        reasonCode: check.reason === 'score' ? 'mql_bar_score' : 'mql_bar_event',
        data: check.detail,
      });
      handedOver.push(lead.id);
    }
  }
  return { checked, handedOver };
}

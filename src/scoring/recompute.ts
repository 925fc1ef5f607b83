import type { Kysely } from 'kysely';
import { z } from 'zod';
import { notFound } from '../errors/app-error.ts';
import { readSetting, writeSetting } from '../settings/workspace-settings.ts';
import type { Database } from '../store/schema.ts';
import { behaviourEventKinds, ScoringRules, scoreLead } from './rules.ts';

export const SCORING_RULES_KEY = 'scoring.rules';

export async function saveScoringRules(db: Kysely<Database>, options: { rules: ScoringRules; now: number }) {
  await writeSetting(db, { key: SCORING_RULES_KEY, value: options.rules, now: options.now });
}

export async function loadScoringRules(db: Kysely<Database>): Promise<ScoringRules | undefined> {
  return readSetting(db, SCORING_RULES_KEY, ScoringRules.optional());
}

const parseExtra = (text: string | null): Record<string, unknown> | null => {
  if (!text) return null;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
};

/**
 * Recomputes fit, behaviour and score of every lead from the workspace's rules, in id-ordered
 * batches (one read of leads, accounts and behaviour events per batch, then updates in a transaction).
 */
export async function recomputeScores(
  db: Kysely<Database>,
  options: { now: number; batchSize?: number; onProgress?: (done: number) => void },
): Promise<{ leads: number; changed: number }> {
  const rules = await loadScoringRules(db);
  if (!rules) throw notFound('no scoring rules yet: run `gleaner score rules set FILE` first');
  const kinds = behaviourEventKinds(rules);
  const batchSize = options.batchSize ?? 500;
  let after = 0;
  let total = 0;
  let changed = 0;
  for (;;) {
    const leads = await db
      .selectFrom('leads')
      .selectAll()
      .where('id', '>', after)
      .orderBy('id')
      .limit(batchSize)
      .execute();
    if (leads.length === 0) break;
    after = leads[leads.length - 1]!.id;
    const ids = leads.map((l) => l.id);
    const accountIds = [...new Set(leads.flatMap((l) => (l.account_id === null ? [] : [l.account_id])))];
    const accounts = accountIds.length
      ? await db.selectFrom('accounts').selectAll().where('id', 'in', accountIds).execute()
      : [];
    const events = kinds.length
      ? await db
          .selectFrom('lead_events')
          .select(['lead_id', 'kind', 'occurred_at'])
          .where('lead_id', 'in', ids)
          .where('kind', 'in', kinds)
          .execute()
      : [];
    const eventsByLead = new Map<number, { kind: string; occurredAt: number }[]>();
    for (const e of events) {
      const list = eventsByLead.get(e.lead_id) ?? [];
      list.push({ kind: e.kind, occurredAt: e.occurred_at });
      eventsByLead.set(e.lead_id, list);
    }
    await db.transaction().execute(async (trx) => {
      for (const lead of leads) {
        const account = accounts.find((a) => a.id === lead.account_id) ?? null;
        const s = scoreLead({
          rules,
          lead: { fields: lead, account, extra: parseExtra(lead.extra) },
          events: eventsByLead.get(lead.id) ?? [],
          now: options.now,
        });
        if (lead.fit_score === s.fit && lead.behaviour_score === s.behaviour && lead.score === s.score)
          continue;
        changed++;
        await trx
          .updateTable('leads')
          .set({ fit_score: s.fit, behaviour_score: s.behaviour, score: s.score, updated_at: options.now })
          .where('id', '=', lead.id)
          .execute();
      }
    });
    total += leads.length;
    options.onProgress?.(total);
  }
  return { leads: total, changed };
}

export const RecomputeFlags = z.object({ batchSize: z.coerce.number().int().positive().optional() });

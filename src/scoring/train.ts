import type { Kysely } from 'kysely';
import { AppError, notFound } from '../errors/app-error.ts';
import { evaluateLeads } from '../sla/evaluate-leads.ts';
import type { Database, LeadRow } from '../store/schema.ts';
import type { RawRecord } from './encoding.ts';
import { nurtureStatuses } from './nurture.ts';
import {
  type Example,
  explain,
  FittedModel,
  type ModelKind,
  predict,
  type TrainingReport,
  trainConversionModel,
} from './predictive.ts';
import { isProperlyWorked } from './properly-worked.ts';
import { titleSeniority } from './title-seniority.ts';

const DAY_MS = 86_400_000;

/** Lead fields the model reads; never sales actions (touches, status), which would leak the outcome. */
const leadColumns = [
  'source',
  'campaign',
  'industry',
  'employees',
  'annual_revenue',
  'country',
  'region',
  'segment',
  'landing_page',
] as const;
/** Behaviour signals, counted per lead. */
const behaviourKinds = [
  'web_visit',
  'content_download',
  'webinar_attended',
  'demo_request',
  'opt_in',
  'form_submit',
  'email_open',
  'email_click',
];
/** Imported columns that describe the outcome or sales' actions are never features. */
const leakyExtra = /convert|status|stage|won|lost|owner|disqualif|reject/i;

export type LeadForModel = { lead: LeadRow; eventCounts: Record<string, number>; touches: number | null };

/** Pure: the model's view of one lead (lead fields, title seniority, behaviour counts, imported columns). */
export function leadRecord(input: LeadForModel): RawRecord {
  const record: RawRecord = {};
  for (const c of leadColumns) record[c] = input.lead[c];
  record.title_seniority = titleSeniority(input.lead.title);
  for (const k of behaviourKinds) record[`events.${k}`] = input.eventCounts[k] ?? 0;
  if (input.lead.extra) {
    try {
      const extra = JSON.parse(input.lead.extra) as Record<string, unknown>;
      for (const [k, v] of Object.entries(extra)) {
        if (leakyExtra.test(k)) continue;
        if (typeof v === 'string' || typeof v === 'number') record[`extra.${k}`] = v === 'Select' ? null : v;
      }
    } catch {
      // Unreadable extra: the lead is still usable from its own fields.
    }
  }
  return record;
}

const isConverted = (lead: LeadRow) => lead.converted_at !== null || lead.status === 'qualified';

async function loadLeadsForModel(db: Kysely<Database>, where: { leadId?: number }): Promise<LeadForModel[]> {
  let q = db
    .selectFrom('leads')
    .leftJoin('lead_stats', 'lead_stats.lead_id', 'leads.id')
    .selectAll('leads')
    .select('lead_stats.touches');
  if (where.leadId !== undefined) q = q.where('leads.id', '=', where.leadId);
  const rows = await q.orderBy('leads.id').execute();
  const counts = new Map<number, Record<string, number>>();
  let eq = db
    .selectFrom('lead_events')
    .select(['lead_id', 'kind', (eb) => eb.fn.countAll<number>().as('n')])
    .where('kind', 'in', behaviourKinds)
    .groupBy(['lead_id', 'kind']);
  if (where.leadId !== undefined) eq = eq.where('lead_id', '=', where.leadId);
  for (const e of await eq.execute()) {
    const c = counts.get(e.lead_id) ?? {};
    c[e.kind] = Number(e.n);
    counts.set(e.lead_id, c);
  }
  return rows.map(({ touches, ...lead }) => ({
    lead: lead as LeadRow,
    touches,
    eventCounts: counts.get(lead.id) ?? {},
  }));
}

/**
 * Trains a conversion model on the workspace's settled leads (handed over, and closed or older than
 * `maturityDays`), keeping the one trained on properly-worked leads as a new active version in
 * score_models, with metrics comparing it to training on all; writes leads.predicted_score (0–100).
 */
export async function trainWorkspaceModel(
  db: Kysely<Database>,
  options: {
    kind: ModelKind;
    seed: number;
    now: number;
    maturityDays?: number;
    minTouches?: number;
    /** Treat every settled lead as properly worked: for imported history with no captured activity. */
    assumeWorked?: boolean;
    /** Model columns to leave out (e.g. `extra.Tags`, which records what sales already did). */
    excludeColumns?: readonly string[];
  },
): Promise<{ version: number; report: TrainingReport; columns: string[] }> {
  const all = await loadLeadsForModel(db, {});
  const maturity = (options.maturityDays ?? 30) * DAY_MS;
  const settled = all.filter(
    ({ lead }) =>
      !(nurtureStatuses as readonly string[]).includes(lead.status) &&
      (isConverted(lead) ||
        ['rejected', 'disqualified', 'unresponsive'].includes(lead.status) ||
        (lead.handed_over_at ?? lead.created_at) <= options.now - maturity),
  );
  const sla = new Map(
    (await evaluateLeads(db, { now: options.now })).map((r) => [r.lead_id, r.properly_worked]),
  );
  const examples: Example[] = settled.map((l) => ({
    record: leadRecord(l),
    converted: isConverted(l.lead),
    properlyWorked:
      options.assumeWorked === true ||
      isProperlyWorked({
        sla: sla.get(l.lead.id),
        touches: l.touches,
        converted: isConverted(l.lead),
        ...(options.minTouches ? { minTouches: options.minTouches } : {}),
      }),
  }));
  const worked = examples.filter((e) => e.properlyWorked);
  const positives = worked.filter((e) => e.converted).length;
  if (worked.length < 50 || positives < 5 || worked.length - positives < 5) {
    throw new AppError(
      'conflict',
      `not enough properly-worked leads to train on (${worked.length} leads, ${positives} converted; need 50 with at least 5 of each outcome)`,
    );
  }
  const excluded = new Set(options.excludeColumns ?? []);
  const columns = [...new Set(examples.flatMap((e) => Object.keys(e.record)))]
    .filter((c) => !excluded.has(c))
    .sort();
  const { fitted, report } = trainConversionModel({
    examples,
    columns,
    kind: options.kind,
    seed: options.seed,
  });
  const last = await db
    .selectFrom('score_models')
    .select((eb) => eb.fn.max('version').as('v'))
    .executeTakeFirst();
  const version = Number(last?.v ?? 0) + 1;
  const predictions = predict(fitted, all.map(leadRecord));
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('score_models').set({ active: 0 }).where('active', '=', 1).execute();
    await trx
      .insertInto('score_models')
      .values({
        version,
        kind: options.kind,
        active: 1,
        metrics: JSON.stringify(report),
        model: JSON.stringify(fitted),
        created_at: options.now,
      })
      .execute();
    for (let i = 0; i < all.length; i++) {
      await trx
        .updateTable('leads')
        .set({ predicted_score: Math.round(predictions[i]! * 10000) / 100 })
        .where('id', '=', all[i]!.lead.id)
        .execute();
    }
  });
  return { version, report, columns };
}

/** Top contributions of the active model's prediction for one lead. */
export async function explainLead(db: Kysely<Database>, options: { leadId: number; top?: number }) {
  const row = await db.selectFrom('score_models').selectAll().where('active', '=', 1).executeTakeFirst();
  if (!row) throw notFound('no trained model yet: run `gleaner score train` first');
  const fitted = FittedModel.parse(JSON.parse(row.model));
  const [lead] = await loadLeadsForModel(db, { leadId: options.leadId });
  if (!lead) throw notFound(`no lead with id ${options.leadId}`);
  const record = leadRecord(lead);
  const probability = predict(fitted, [record])[0]!;
  return {
    version: row.version,
    kind: row.kind,
    probability,
    contributions: explain(fitted, record).slice(0, options.top ?? 10),
  };
}

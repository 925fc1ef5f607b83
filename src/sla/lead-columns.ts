import { type Kysely, sql } from 'kysely';
import type { Database } from '../store/schema.ts';
import { type ColumnKind, selectColumns } from '../store/select-columns.ts';
import { type LeadFactsFilter, type LeadFactsRow, leadFactsQuery } from './lead-facts.ts';

/**
 * The per-lead facts (leads ⨝ lead_stats) as columns in lead-id order: numbers in typed arrays with NaN
 * for null, strings as codes into `strings` (-1 for null). What the SLA fast path and the reports read
 * at 100k–1M leads, without an object per lead.
 */
export type LeadColumns = {
  n: number;
  /** code → string, shared by every string column. */
  strings: string[];
  leadId: Float64Array;
  source: Int32Array;
  campaign: Int32Array;
  segment: Int32Array;
  status: Int32Array;
  dispositionReason: Int32Array;
  score: Float64Array;
  handedOverAt: Float64Array;
  createdAt: Float64Array;
  convertedAt: Float64Array;
  closedAt: Float64Array;
  accountId: Float64Array;
  ownerRepId: Float64Array;
  firstTouchAt: Float64Array;
  lastTouchAt: Float64Array;
  touches: Int32Array;
  calls: Int32Array;
  emails: Int32Array;
  meetings: Int32Array;
  responses: Int32Array;
  effortMinutes: Float64Array;
  maxGapMs: Float64Array;
  opportunityRef: Float64Array;
};

const kinds = {
  lead_id: 'int',
  source: 'text',
  campaign: 'text',
  segment: 'text',
  score: 'real',
  status: 'text',
  disposition_reason: 'text',
  handed_over_at: 'int',
  created_at: 'int',
  converted_at: 'int',
  closed_at: 'int',
  account_id: 'int',
  owner_rep_id: 'int',
  first_touch_at: 'int',
  last_touch_at: 'int',
  touches: 'int',
  calls: 'int',
  emails: 'int',
  meetings: 'int',
  responses: 'int',
  effort_minutes: 'real',
  max_gap_ms: 'int',
  opportunity_ref: 'int',
} as const satisfies Record<keyof LeadFactsRow, ColumnKind>;

/** Reads the facts of the leads `filter` selects as columns (the same select as readLeadFacts). */
export async function readLeadColumns(
  db: Kysely<Database>,
  filter: LeadFactsFilter & { pageSize?: number } = {},
): Promise<LeadColumns> {
  const raw = await selectColumns(db, {
    page: (after) => leadFactsQuery(db, filter).where(sql.ref('l.id'), '>', after),
    columns: kinds,
    orderBy: 'lead_id',
    ...(filter.pageSize ? { pageSize: filter.pageSize } : {}),
  });
  const dictionary = new Map<string, number>();
  const strings: string[] = [];
  const codes = (values: unknown[]): Int32Array => {
    const out = new Int32Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v === null || v === undefined) {
        out[i] = -1;
        continue;
      }
      const s = String(v);
      let code = dictionary.get(s);
      if (code === undefined) {
        code = strings.length;
        strings.push(s);
        dictionary.set(s, code);
      }
      out[i] = code;
    }
    return out;
  };
  const numbers = (values: unknown[]): Float64Array => {
    const out = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      out[i] = v === null || v === undefined ? Number.NaN : Number(v);
    }
    return out;
  };
  const counts = (values: unknown[]): Int32Array => Int32Array.from(values, (v) => Number(v ?? 0));
  return {
    n: raw.lead_id.length,
    strings,
    leadId: numbers(raw.lead_id),
    source: codes(raw.source),
    campaign: codes(raw.campaign),
    segment: codes(raw.segment),
    status: codes(raw.status),
    dispositionReason: codes(raw.disposition_reason),
    score: numbers(raw.score),
    handedOverAt: numbers(raw.handed_over_at),
    createdAt: numbers(raw.created_at),
    convertedAt: numbers(raw.converted_at),
    closedAt: numbers(raw.closed_at),
    accountId: numbers(raw.account_id),
    ownerRepId: numbers(raw.owner_rep_id),
    firstTouchAt: numbers(raw.first_touch_at),
    lastTouchAt: numbers(raw.last_touch_at),
    touches: counts(raw.touches),
    calls: counts(raw.calls),
    emails: counts(raw.emails),
    meetings: counts(raw.meetings),
    responses: counts(raw.responses),
    effortMinutes: numbers(raw.effort_minutes),
    maxGapMs: numbers(raw.max_gap_ms),
    opportunityRef: numbers(raw.opportunity_ref),
  };
}

/** NaN (a null read into a typed array) back to null. */
export const orNull = (x: number): number | null => (Number.isNaN(x) ? null : x);

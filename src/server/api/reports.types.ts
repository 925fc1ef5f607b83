import { z } from 'zod';
import { QueryTime } from './leads.types.ts';

export const reportNames = [
  'coverage',
  'response',
  'capacity',
  'cold-vs-mql',
  'rejected-outcomes',
  'acceptance',
  'gap',
  'cherry-pick',
] as const;
export const ReportName = z.enum(reportNames);
export type ReportName = z.infer<typeof ReportName>;

/** GET /api/reports/:name query. A manager's reports are limited to their team whatever `team` says. */
export const ReportQuery = z.object({
  by: z.string().min(1).max(32).optional(),
  since: QueryTime.optional(),
  until: QueryTime.optional(),
  source: z.string().min(1).optional(),
  campaign: z.string().min(1).optional(),
  team: z.coerce.number().int().positive().optional(),
  rep: z.coerce.number().int().positive().optional(),
  format: z.enum(['json', 'csv']).default('json'),
});
export type ReportQuery = z.infer<typeof ReportQuery>;

export const ReportCell = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/**
 * Every report: a table (`columns` + `rows`, what ?format=csv prints) plus the report's own
 * structured result in `detail` (e.g. cherry-pick's odds ratios and verdicts).
 */
export const ReportResult = z
  .object({
    name: ReportName,
    generatedAt: z.number().int(),
    /** The workspace data version the result was computed from (see the report cache). */
    dataVersion: z.string(),
    params: z.record(z.string(), z.union([z.string(), z.number()])),
    columns: z.array(z.string()),
    rows: z.array(z.record(z.string(), ReportCell)),
    detail: z.unknown(),
  })
  .meta({ id: 'ReportResult' });
export type ReportResult = z.infer<typeof ReportResult>;

import type { Store } from '../../store/open-store.ts';
import type { ReportName, ReportQuery } from '../api/reports.types.ts';
import { cherryPickReport } from './cherry-pick-report.ts';
import { followUpReportFunctions } from './follow-up-reports.ts';

export type ReportCellValue = string | number | boolean | null;
export type ReportParams = Omit<ReportQuery, 'format'>;
/** `repIds` null: every rep; otherwise the caller may only see these reps' leads (a manager's team). */
export type ReportScope = { repIds: readonly number[] | null };
export type ReportTable = {
  columns: string[];
  rows: Record<string, ReportCellValue>[];
  detail: unknown;
};
export type ReportFunction = (
  store: Store,
  options: { params: ReportParams; scope: ReportScope; now: number; dataVersion: string },
) => Promise<ReportTable>;

/**
 * The report name → function table the API serves. Each entry adapts one capability's report
 * function (sla, analytics, cherry-pick) to the table shape; names without an entry answer 503.
 */
export const reportFunctions: Partial<Record<ReportName, ReportFunction>> = {
  ...followUpReportFunctions,
  'cherry-pick': cherryPickReport,
};

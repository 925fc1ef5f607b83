import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.ts';
import { acceptanceReport } from './acceptance.ts';
import { capacityReport } from './capacity.ts';
import { coldVsMqlReport } from './cold-vs-mql.ts';
import { coverageReport } from './coverage.ts';
import { gapReport } from './gap.ts';
import { loadReportData } from './load-report-data.ts';
import { rejectedOutcomesReport } from './rejected-outcomes.ts';
import type { ReportData, ReportResult, ReportSettings } from './report-types.ts';
import { responseReport } from './response.ts';

/** Every follow-up report: a pure function of the loaded data and the settings. */
export const followUpReports = {
  coverage: coverageReport,
  response: responseReport,
  capacity: capacityReport,
  'cold-vs-mql': coldVsMqlReport,
  'rejected-outcomes': rejectedOutcomesReport,
  acceptance: acceptanceReport,
  gap: gapReport,
} as const satisfies Record<string, (data: ReportData, settings: ReportSettings) => ReportResult>;

export type FollowUpReportName = keyof typeof followUpReports;
export const followUpReportNames = Object.keys(followUpReports) as FollowUpReportName[];

/** Loads the data once and computes the named reports (all of them by default). */
export async function runReports(
  db: Kysely<Database>,
  options: { settings: ReportSettings; names?: readonly FollowUpReportName[] },
): Promise<ReportResult[]> {
  const names = options.names ?? followUpReportNames;
  const { settings } = options;
  const data = await loadReportData(db, {
    now: settings.now,
    since: settings.since,
    until: settings.until,
    by: settings.by,
    needLater: names.includes('rejected-outcomes'),
  });
  return names.map((name) => followUpReports[name](data, settings));
}

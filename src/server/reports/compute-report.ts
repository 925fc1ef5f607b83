import { stringify } from 'csv-stringify/sync';
import { AppError } from '../../errors/app-error.ts';
import type { Store } from '../../store/open-store.ts';
import type { ReportName, ReportResult } from '../api/reports.types.ts';
import { type ReportBodies, reportBodies } from './report-cache.ts';
import { type ReportParams, type ReportScope, reportFunctions } from './report-registry.ts';

/** One report to compute: what a worker thread receives (plain data, structured-cloneable). */
export type ReportJob = {
  name: ReportName;
  params: ReportParams;
  scope: ReportScope;
  now: number;
  version: string;
};

/** Runs one report and serialises it into the bytes the API sends (JSON, gzipped JSON, CSV). */
export async function computeReport(store: Store, job: ReportJob): Promise<ReportBodies> {
  const fn = reportFunctions[job.name];
  if (!fn) throw new AppError('unavailable', `the ${job.name} report is not available in this build yet`);
  const { params, scope, now, version } = job;
  const table = await fn(store, { params, scope, now, dataVersion: version });
  const result: ReportResult = {
    name: job.name,
    generatedAt: now,
    dataVersion: version,
    params: Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined)) as Record<
      string,
      string | number
    >,
    columns: table.columns,
    rows: table.rows,
    detail: table.detail,
  };
  const json = Buffer.from(JSON.stringify(result));
  const csv = stringify(
    table.rows.map((r) => table.columns.map((c) => r[c] ?? '')),
    { header: true, columns: table.columns },
  );
  return reportBodies(json, Buffer.from(csv));
}

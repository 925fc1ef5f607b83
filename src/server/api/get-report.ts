import { stringify } from 'csv-stringify/sync';
import { AppError } from '../../errors/app-error.ts';
import type { Principal } from '../auth/principal.ts';
import { type CachedReport, reportBodies } from '../reports/report-cache.ts';
import { type ReportScope, reportFunctions } from '../reports/report-registry.ts';
import type { ServerDeps } from '../route.ts';
import type { ReportName, ReportQuery, ReportResult } from './reports.types.ts';

/**
 * A report as JSON and CSV text, from the cache when the workspace data version has not changed.
 * A manager's report covers their team's reps only.
 */
export async function getReport(
  deps: ServerDeps,
  options: { principal: Principal; name: ReportName; query: ReportQuery },
): Promise<CachedReport> {
  const fn = reportFunctions[options.name];
  if (!fn) throw new AppError('unavailable', `the ${options.name} report is not available in this build yet`);
  const { format: _format, ...params } = options.query;
  const scope = await reportScope(deps, options.principal);
  const version = await deps.dataVersion.current();
  const key = JSON.stringify([options.name, params, scope.repIds]);
  return deps.reportCache.get({
    key,
    version,
    now: deps.now(),
    compute: async () => {
      const now = deps.now();
      const table = await fn(deps.store, { params, scope, now, dataVersion: version });
      const result: ReportResult = {
        name: options.name,
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
    },
  });
}

async function reportScope(deps: ServerDeps, principal: Principal): Promise<ReportScope> {
  if (principal.role !== 'manager') return { repIds: null };
  const reps = await deps.store.db
    .selectFrom('reps')
    .select('id')
    .where('team_id', '=', principal.teamId ?? -1)
    .orderBy('id')
    .execute();
  return { repIds: reps.map((r) => r.id) };
}

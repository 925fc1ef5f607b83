import { AppError } from '../../errors/app-error.ts';
import type { Principal } from '../auth/principal.ts';
import type { CachedReport } from '../reports/report-cache.ts';
import { type ReportScope, reportFunctions } from '../reports/report-registry.ts';
import type { ServerDeps } from '../route.ts';
import type { ReportName, ReportQuery } from './reports.types.ts';

/**
 * A report as JSON and CSV bytes, from the cache when the workspace data version has not changed;
 * computed by the server's report runner (a worker thread under `gleaner serve`) otherwise.
 * A manager's report covers their team's reps only.
 */
export async function getReport(
  deps: ServerDeps,
  options: { principal: Principal; name: ReportName; query: ReportQuery },
): Promise<CachedReport> {
  const { name } = options;
  if (!reportFunctions[name])
    throw new AppError('unavailable', `the ${name} report is not available in this build yet`);
  const { format: _format, ...params } = options.query;
  const scope = await reportScope(deps, options.principal);
  const version = await deps.dataVersion.current();
  const key = JSON.stringify([name, params, scope.repIds]);
  return deps.reportCache.get({
    key,
    version,
    now: deps.now(),
    compute: (at) => deps.reportRunner.run({ name, params, scope, now: at.now, version: at.version }),
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

import { cherryPickReportFromStore } from '../../analytics/cherry-pick/load-columns.ts';
import { attributeKinds, loadAttractivenessConfig } from '../../attributes/attractiveness.ts';
// The flat verdict table lives with the CLI command; shared here so the API's CSV equals the CLI's.
import { verdictRows } from '../../cli/commands/cherry-pick.ts';
import { badInput } from '../../errors/app-error.ts';
import type { ReportFunction } from './report-registry.ts';

/**
 * The cherry-pick report (cherry capability): verdict rows per rep or team × attribute (`by` = rep,
 * the default, or team), with the whole report — statistics, heatmap, left-on-the-vine — in detail.
 * A manager sees the assessments of their own team's leads only.
 */
export const cherryPickReport: ReportFunction = async (store, options) => {
  const { params, scope, now } = options;
  const by = params.by ?? 'rep';
  if (by !== 'rep' && by !== 'team')
    throw badInput('by must be rep or team for cherry-pick', { field: 'query.by' });
  const config = await loadAttractivenessConfig(store.db);
  const repIds = scope.repIds ? new Set(scope.repIds) : null;
  const filtered = repIds || params.rep !== undefined || params.team !== undefined || params.source;
  const report = await cherryPickReportFromStore(store.db, {
    since: params.since,
    until: params.until,
    ...(filtered
      ? {
          keep: (r: { repId: number | null; teamId: number | null; source: string | null }) =>
            (!repIds || (r.repId !== null && repIds.has(r.repId))) &&
            (params.rep === undefined || r.repId === params.rep) &&
            (params.team === undefined || r.teamId === params.team) &&
            (!params.source || r.source === params.source),
        }
      : {}),
    config,
    by,
    attributes: attributeKinds.filter((k) => k !== 'industry' || config.industry.favoured.length > 0),
    bands: 'auto',
    now,
  });
  const table = verdictRows(report).map((row, i) => ({
    ...row,
    sentence: report.assessments[i]?.sentence ?? null,
  }));
  const columns = table[0] ? Object.keys(table[0]) : ['group', 'attribute', 'verdict', 'sentence'];
  return { columns, rows: table, detail: report };
};

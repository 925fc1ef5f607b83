import { loadReportData } from '../../analytics/reports/load-report-data.ts';
import {
  defaultReportSettings,
  type ReportResult as FollowUpResult,
  ReportBy,
  type ReportData,
} from '../../analytics/reports/report-types.ts';
import { type FollowUpReportName, followUpReports } from '../../analytics/reports/run-reports.ts';
import { badInput } from '../../errors/app-error.ts';
import type { Store } from '../../store/open-store.ts';
import type { ReportFunction, ReportParams, ReportScope, ReportTable } from './report-registry.ts';

// The seven follow-up reports share one data load (leads ⨝ stats + SLA evaluation of every lead):
// loaded once per data version and period, then each report is a pure function over it.
const loads = new Map<string, Promise<ReportData>>();
const MAX_LOADS = 4;

function sharedLoad(
  store: Store,
  options: { params: ReportParams; now: number; dataVersion: string },
): Promise<ReportData> {
  const { since, until } = options.params;
  // The loader leaves out campaigns unless a grouping or filter needs them.
  const campaigns = options.params.by === 'campaign' || options.params.campaign !== undefined;
  const key = JSON.stringify([store.location, options.dataVersion, since, until, campaigns]);
  let load = loads.get(key);
  if (!load) {
    load = loadReportData(store.db, {
      now: options.now,
      since,
      until,
      needLater: true,
      ...(campaigns ? { by: 'campaign' as const } : {}),
    });
    load.catch(() => loads.delete(key));
    loads.set(key, load);
    while (loads.size > MAX_LOADS) loads.delete(loads.keys().next().value as string);
  }
  return load;
}

/** Narrows the loaded leads to the caller's scope and the request's filters. */
function narrow(data: ReportData, params: ReportParams, scope: ReportScope): ReportData {
  const repIds = scope.repIds ? new Set(scope.repIds) : null;
  if (
    !repIds &&
    !params.source &&
    !params.campaign &&
    params.team === undefined &&
    params.rep === undefined
  ) {
    return data;
  }
  const leads = data.leads.filter((f) => {
    if (repIds && (f.owner_rep_id === null || !repIds.has(f.owner_rep_id))) return false;
    if (params.source && f.source !== params.source) return false;
    if (params.campaign && f.campaign !== params.campaign) return false;
    if (params.team !== undefined && f.team_id !== params.team) return false;
    if (params.rep !== undefined && f.owner_rep_id !== params.rep) return false;
    return true;
  });
  const kept = new Set(leads.map((l) => l.lead_id));
  return { ...data, leads, laterOpportunities: data.laterOpportunities.filter((o) => kept.has(o.lead_id)) };
}

/** The report's first table is the one a CSV download holds; the whole result is `detail`. */
export function toReportTable(result: FollowUpResult): ReportTable {
  const rows = result.tables[0]?.rows ?? [];
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    for (const key of Object.keys(row)) {
      if (!seen.has(key)) {
        seen.add(key);
        columns.push(key);
      }
    }
  }
  // The first table is `rows`; detail keeps the rest without repeating it.
  return { columns, rows, detail: { ...result, tables: result.tables.slice(1) } };
}

function adapter(name: FollowUpReportName): ReportFunction {
  return async (store, options) => {
    let by: ReportBy | undefined;
    if (options.params.by !== undefined) {
      const parsed = ReportBy.safeParse(options.params.by);
      if (!parsed.success)
        throw badInput(`by must be one of ${ReportBy.options.join(', ')}`, { field: 'query.by' });
      by = parsed.data;
    }
    const data = narrow(await sharedLoad(store, options), options.params, options.scope);
    const result = followUpReports[name](data, {
      ...defaultReportSettings,
      now: options.now,
      by,
      since: options.params.since,
      until: options.params.until,
    });
    return toReportTable(result);
  };
}

/** coverage, response, capacity, cold-vs-mql, rejected-outcomes, acceptance, gap — the sla capability's reports. */
export const followUpReportFunctions = Object.fromEntries(
  (Object.keys(followUpReports) as FollowUpReportName[]).map((name) => [name, adapter(name)]),
) as Record<FollowUpReportName, ReportFunction>;

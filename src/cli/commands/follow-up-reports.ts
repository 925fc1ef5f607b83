import type { Command } from 'commander';
import { z } from 'zod';
import { defaultReportSettings, ReportBy, type ReportResult } from '../../analytics/reports/report-types.ts';
import {
  type FollowUpReportName,
  followUpReportNames,
  runReports,
} from '../../analytics/reports/run-reports.ts';
import { badInput } from '../../errors/app-error.ts';
import { type CliContext, withStore } from '../context.ts';
import { formatFromFlags, renderRows } from '../output.ts';
import { parseTimeFlag } from './report-flags.ts';

const Flags = z.object({
  by: ReportBy.optional(),
  since: z.string().optional(),
  until: z.string().optional(),
  at: z.string().optional(),
  json: z.boolean().optional(),
  csv: z.boolean().optional(),
  table: z.string().optional(),
  followUpShare: z.coerce.number().gt(0).max(1).optional(),
  coldSources: z.string().optional(),
});

const summaries: Record<FollowUpReportName, string> = {
  coverage: 'share of MQLs properly followed up, never worked, worked but short, closed prematurely',
  response:
    'time to first touch (median/p75/p90), share within SLA, touches per lead, call/email/meeting mix',
  capacity: 'per rep and month: effort spent and needed vs hours available, overload; team totals',
  'cold-vs-mql': 'cold/outbound vs MQL: conversion, touches to conversion, cycle length',
  'rejected-outcomes':
    'rejected/disqualified leads that later became opportunities or customers (6/12/24 months)',
  acceptance: 'acceptance rate per rep and source; rejections vs disqualifications by reason',
  gap: 'revenue left on the vine: under-worked MQLs × won rate of properly worked leads × average deal',
};

/** Prints a report: definitions, inputs, tables and notes; --json the whole result; --csv one table. */
export function renderReport(
  result: ReportResult,
  flags: { json?: boolean; csv?: boolean; table?: string },
): string {
  if (flags.json) return `${JSON.stringify(result, null, 2)}\n`;
  if (flags.csv) {
    const table = flags.table ? result.tables.find((t) => t.name === flags.table) : result.tables[0];
    if (!table)
      throw badInput(
        `--table ${flags.table}: this report has tables ${result.tables.map((t) => t.name).join(', ')}`,
      );
    return renderRows(table.rows, 'csv');
  }
  const out = [
    `${result.title}`,
    '',
    'Definitions:',
    ...result.definitions.map((d) => `  - ${d}`),
    '',
    'Inputs:',
  ];
  for (const [k, v] of Object.entries(result.inputs)) out.push(`  ${k}: ${v ?? '—'}`);
  for (const t of result.tables)
    out.push('', `${t.title}:`, renderRows(t.rows, formatFromFlags({})).trimEnd());
  if (result.notes.length) out.push('', ...result.notes);
  return `${out.join('\n')}\n`;
}

export function registerFollowUpReports(report: Command, ctx: () => CliContext): void {
  for (const name of followUpReportNames) {
    report
      .command(name)
      .description(summaries[name])
      .option('--by <dimension>', 'group by rep | team | source | campaign | week | month')
      .option('--since <date>', 'leads handed over on or after this date (ISO, UTC)')
      .option('--until <date>', 'leads handed over before this date (ISO, UTC)')
      .option('--at <time>', 'evaluate the SLA as of this time (default now)')
      .option('--json', 'the whole report as JSON (definitions, inputs, tables, notes)')
      .option('--csv', 'one table as CSV (the first, or --table NAME)')
      .option('--table <name>', 'which table --csv prints')
      .option(
        '--follow-up-share <share>',
        'capacity: share of rep capacity for lead follow-up (0–1, default 1)',
      )
      .option('--cold-sources <list>', 'cold-vs-mql: comma-separated sources that mean cold/outbound')
      .addHelpText(
        'after',
        `\nExample:\n  gleaner report ${name} --by source --since 2026-01-01 --until 2026-04-01 --csv`,
      )
      .action(async (raw: Record<string, unknown>) => {
        const c = ctx();
        const parsed = Flags.safeParse(raw);
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          throw badInput(`--${String(issue.path[0] ?? '')}: ${issue.message}`);
        }
        const f = parsed.data;
        const settings = {
          now: f.at ? parseTimeFlag(f.at, '--at') : Date.now(),
          by: f.by,
          since: f.since ? parseTimeFlag(f.since, '--since') : undefined,
          until: f.until ? parseTimeFlag(f.until, '--until') : undefined,
          followUpShare: f.followUpShare ?? defaultReportSettings.followUpShare,
          coldSources: f.coldSources
            ? f.coldSources
                .split(',')
                .map((s) => s.trim())
                .filter(Boolean)
            : defaultReportSettings.coldSources,
        };
        await withStore(c, async (store) => {
          const [result] = await runReports(store.db, { settings, names: [name] });
          c.io.out(renderReport(result!, f));
        });
      });
  }
}

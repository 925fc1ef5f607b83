import type { Command } from 'commander';
import { z } from 'zod';
import { cherryPickReportFromStore } from '../../analytics/cherry-pick/load-columns.ts';
import type { CherryPickReport } from '../../analytics/cherry-pick/report.ts';
import { attributeKinds, loadAttractivenessConfig } from '../../attributes/attractiveness.ts';
import { badInput } from '../../errors/app-error.ts';
import { type CliContext, withStore } from '../context.ts';
import { isoTime, renderRows } from '../output.ts';
import { parseTimeFlag } from './report-flags.ts';

const Flags = z.object({
  by: z.enum(['rep', 'team']).default('rep'),
  attribute: z.enum(attributeKinds).optional(),
  since: z.string().optional(),
  until: z.string().optional(),
  at: z.string().optional(),
  bands: z.union([z.literal('auto'), z.coerce.number().int().min(2).max(100)]).default('auto'),
  bySource: z.boolean().optional(),
  byWeek: z.boolean().optional(),
  conversionRate: z.coerce.number().min(0).max(1).optional(),
  dealSize: z.coerce.number().min(0).optional(),
  json: z.boolean().optional(),
  csv: z.boolean().optional(),
  table: z.enum(['verdicts', 'heatmap', 'vine']).default('verdicts'),
});

const round = (x: number | null | undefined, digits = 3): number | null =>
  x === null || x === undefined || !Number.isFinite(x) ? null : Number(x.toFixed(digits));

/** The per group × attribute rows of the report, flat for tables and CSV. */
export function verdictRows(report: CherryPickReport) {
  return report.assessments.map((a) => ({
    group: a.name,
    attribute: a.attribute,
    verdict: a.verdict,
    leads: a.leads,
    attractive: a.attractiveLeads,
    other: a.otherLeads,
    worked_attractive_share: round(a.attractiveWorkedRate),
    worked_other_same_score_share: round(a.otherWorkedRateAtSameScore),
    odds_ratio: round(a.mantelHaenszel?.oddsRatio),
    ci_low: round(a.mantelHaenszel?.ciLow),
    ci_high: round(a.mantelHaenszel?.ciHigh),
    p_cmh: round(a.cmh?.pValue, 6),
    p_adjusted: round(a.adjustedP, 6),
    breslow_day_p: round(a.breslowDay?.pValue, 4),
    logit_or: round(a.logistic?.oddsRatio),
    logrank_p: round(a.logRank?.pValue, 6),
    strata: a.strataKept,
    strata_dropped: a.strataDropped,
  }));
}

function renderText(report: CherryPickReport): string {
  const out = [
    `Cherry-pick report by ${report.by}: are leads of equal score worked differently when they look attractive?`,
    '',
    `Strata: ${report.strata}; ${report.leads} handed-over leads with a score.`,
    'Worked: met the SLA attempts, or first touch within the SLA. Test: Mantel–Haenszel odds ratio across',
    'score bands (95 % CI, Robins–Breslow–Greenland), CMH test, Benjamini–Hochberg across groups × attributes.',
    '',
  ];
  const groups = report.assessments.filter((a) => a.key !== '(all)');
  const flagged = groups.filter((a) => a.verdict === 'likely_cherry_picking');
  const thin = groups.filter((a) => a.verdict === 'not_enough_data');
  out.push(`Verdicts (${flagged.length} likely cherry-picking, ${thin.length} without enough data):`);
  for (const a of [
    ...flagged,
    ...groups.filter((g) => g.verdict !== 'likely_cherry_picking' && g.verdict !== 'not_enough_data'),
  ])
    out.push(`  [${a.attribute}] ${a.sentence}`);
  for (const a of thin.slice(0, 20)) out.push(`  [${a.attribute}] ${a.sentence}`);
  if (thin.length > 20) out.push(`  … and ${thin.length - 20} more without enough data (see --json)`);
  for (const a of report.assessments.filter((x) => x.key === '(all)'))
    out.push(`  [${a.attribute}] ${a.sentence}`);
  out.push('', renderRows(verdictRows(report), 'table').trimEnd());
  const v = report.leftOnTheVine;
  out.push(
    '',
    `Left on the vine: ${v.count} leads (${v.rule})${v.revenueAtRisk === null ? '' : `; revenue at risk ${Math.round(v.revenueAtRisk)}`}.`,
  );
  if (v.leads.length)
    out.push(
      renderRows(
        v.leads.slice(0, 10).map((l) => ({ ...l, handedOverAt: isoTime(l.handedOverAt) })),
        'table',
      ).trimEnd(),
    );
  if (report.notes.length) out.push('', ...report.notes);
  return `${out.join('\n')}\n`;
}

export function registerCherryPickReport(report: Command, ctx: () => CliContext): void {
  report
    .command('cherry-pick')
    .description(
      'per rep or team: are attractive-looking leads (VP+, big brands, favoured industries) worked more than equal-score ones?',
    )
    .option('--by <group>', 'rep | team', 'rep')
    .option('--attribute <kind>', 'seniority | company | industry (default: all configured)')
    .option('--since <date>', 'leads handed over on or after this date (ISO, UTC)')
    .option('--until <date>', 'leads handed over before this date (ISO, UTC)')
    .option('--at <time>', 'evaluate the SLA as of this time (default now)')
    .option('--bands <n>', 'score bands: a number or auto (~30 leads per band per group)', 'auto')
    .option('--by-source', 'also stratify by lead source')
    .option('--by-week', 'also stratify by hand-over week')
    .option('--conversion-rate <share>', 'conversion rate of worked leads, for revenue at risk (0–1)')
    .option('--deal-size <amount>', 'average deal size, for revenue at risk')
    .option('--json', 'the whole report as JSON (verdicts, statistics, heatmap, left-on-the-vine)')
    .option('--csv', 'one table as CSV (--table verdicts|heatmap|vine)')
    .option('--table <name>', 'which table --csv prints: verdicts, heatmap or vine', 'verdicts')
    .addHelpText(
      'after',
      '\nExamples:\n  gleaner report cherry-pick\n  gleaner report cherry-pick --by team --attribute seniority --since 2026-01-01 --csv\n  gleaner report cherry-pick --conversion-rate 0.08 --deal-size 12000 --json',
    )
    .action(async (raw: Record<string, unknown>) => {
      const parsed = Flags.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw badInput(`--${String(issue.path[0] ?? '')}: ${issue.message}`);
      }
      const flags = parsed.data;
      const since = flags.since ? parseTimeFlag(flags.since, '--since') : undefined;
      const until = flags.until ? parseTimeFlag(flags.until, '--until') : undefined;
      const now = flags.at ? parseTimeFlag(flags.at, '--at') : Date.now();
      const c = ctx();
      const result = await withStore(c, async (store) => {
        const config = await loadAttractivenessConfig(store.db);
        const attributes = flags.attribute
          ? [flags.attribute]
          : attributeKinds.filter((k) => k !== 'industry' || config.industry.favoured.length > 0);
        return cherryPickReportFromStore(store.db, {
          since,
          until,
          config,
          by: flags.by,
          attributes,
          bands: flags.bands,
          bySource: flags.bySource ?? false,
          byWeek: flags.byWeek ?? false,
          now,
          conversionRate: flags.conversionRate ?? null,
          dealSize: flags.dealSize ?? null,
        });
      });
      if (flags.json) c.io.out(`${JSON.stringify(result, null, 2)}\n`);
      else if (flags.csv) {
        const rows =
          flags.table === 'heatmap'
            ? result.heatmap
            : flags.table === 'vine'
              ? result.leftOnTheVine.leads.map((l) => ({ ...l, handedOverAt: isoTime(l.handedOverAt) }))
              : verdictRows(result);
        c.io.out(renderRows(rows, 'csv'));
      } else c.io.out(renderText(result));
    });
}

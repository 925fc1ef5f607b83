import { useState } from 'react';
import { z } from 'zod';
import type { Me } from '../../server/api/auth.types.ts';
import type { ReportResult } from '../../server/api/reports.types.ts';
import { useApi } from '../api/use-api.ts';
import { DataState } from '../components/data-state.tsx';
import { ForestPlot, type ForestRow } from '../components/forest-plot.tsx';
import { type HeatCell, Heatmap } from '../components/heatmap.tsx';
import { PeriodPicker, usePeriod } from '../components/period.tsx';
import { ReportNotes, ReportTable, reportPath } from '../components/report-card.tsx';
import { formatDate, formatMoney } from '../format.ts';

type Row = ReportResult['rows'][number];

const num = (row: Row, pattern: RegExp): number | null => {
  const key = Object.keys(row).find((k) => pattern.test(k) && typeof row[k] === 'number');
  return key ? (row[key] as number) : null;
};
const text = (row: Row, pattern: RegExp): string | null => {
  const key = Object.keys(row).find((k) => pattern.test(k) && typeof row[k] === 'string');
  return key ? (row[key] as string) : null;
};

/** Odds ratio and CI columns, whatever the report calls them (odds_ratio / or, ci_low / lower …). */
export function forestRows(report: Pick<ReportResult, 'rows'>): ForestRow[] {
  // Several attributes give each group several rows: the label then names the attribute too.
  const attributes = new Set(report.rows.map((row) => text(row, /^attribute$/i)));
  return report.rows.flatMap((row) => {
    const estimate = num(row, /^(odds_ratio|or|mh_or|odds)$/i) ?? num(row, /odds/i);
    const low = num(row, /(ci_?low|lower|low)/i);
    const high = num(row, /(ci_?high|upper|high)/i);
    const group = text(row, /^(rep|team|name|group)/i) ?? text(row, /./);
    const attribute = text(row, /^attribute$/i);
    const label = attributes.size > 1 && attribute ? `${group} · ${attribute}` : group;
    if (estimate === null || low === null || high === null || !label) return [];
    const verdict = text(row, /verdict/i) ?? '';
    return [{ label, estimate, low, high, flagged: low > 1 || /cherry|favour|prefer/i.test(verdict) }];
  });
}

type HeatmapDetail = {
  title: string;
  rowLabel: string;
  rows: string[];
  columns: string[];
  cells: HeatCell[];
};

const HeatCellInput = z.object({
  group: z.string(),
  dimension: z.string(),
  band: z.number(),
  level: z.string(),
  leads: z.number(),
  worked: z.number(),
});
const VineInput = z.object({
  count: z.number(),
  scoreThreshold: z.number().nullable().optional(),
  revenueAtRisk: z.number().nullable().optional(),
  rule: z.string().optional(),
  leads: z.array(
    z.object({
      leadId: z.number(),
      score: z.number().nullable(),
      title: z.string().nullable(),
      company: z.string().nullable(),
      owner: z.string().nullable(),
      handedOverAt: z.number().nullable(),
    }),
  ),
});
const CherryDetail = z.object({
  heatmap: z.array(HeatCellInput).optional(),
  bandCuts: z.array(z.number()).optional(),
  leftOnTheVine: VineInput.optional(),
});

const dimensionLabels: Record<string, string> = { seniority: 'Seniority', company_tier: 'Company tier' };

function bandLabel(band: number, cuts: number[]): string {
  const low = band === 0 ? null : cuts[band - 1];
  const high = cuts[band];
  if (low === undefined || low === null) return high === undefined ? `band ${band + 1}` : `score < ${high}`;
  return high === undefined ? `score ≥ ${low}` : `${low}–${high}`;
}

/** The report's heatmaps (score band × seniority, × company tier) for one group, from its detail. */
export function heatmapsFrom(detail: unknown, group: string): HeatmapDetail[] {
  const parsed = CherryDetail.safeParse(detail);
  if (!parsed.success || !parsed.data.heatmap) return [];
  const cuts = parsed.data.bandCuts ?? [];
  const cells = parsed.data.heatmap.filter((c) => c.group === group);
  const dimensions = [...new Set(cells.map((c) => c.dimension))];
  return dimensions.map((dimension) => {
    const mine = cells.filter((c) => c.dimension === dimension);
    const bands = [...new Set(mine.map((c) => c.band))].sort((a, b) => a - b);
    const columns = bands.map((b) => bandLabel(b, cuts));
    return {
      title: `Worked rate by score band × ${(dimensionLabels[dimension] ?? dimension).toLowerCase()} — ${group}`,
      rowLabel: dimensionLabels[dimension] ?? dimension,
      rows: [...new Set(mine.map((c) => c.level))],
      columns,
      cells: mine.map((c) => ({
        row: c.level,
        column: bandLabel(c.band, cuts),
        worked: c.worked,
        total: c.leads,
      })),
    };
  });
}

export function heatmapGroups(detail: unknown): string[] {
  const parsed = CherryDetail.safeParse(detail);
  return parsed.success ? [...new Set((parsed.data.heatmap ?? []).map((c) => c.group))] : [];
}

function LeftOnTheVine(props: { detail: unknown }) {
  const parsed = CherryDetail.safeParse(props.detail);
  const vine = parsed.success ? parsed.data.leftOnTheVine : undefined;
  if (!vine) return null;
  return (
    <section className="card" data-testid="cherry-vine">
      <h2>Left on the vine</h2>
      <p>
        <strong>{vine.count.toLocaleString('en-US')}</strong> good leads never properly worked
        {vine.revenueAtRisk ? (
          <>
            {' '}
            — <strong>{formatMoney(vine.revenueAtRisk)}</strong> of revenue at risk
          </>
        ) : null}
        .{vine.rule ? <span className="muted small"> {vine.rule}</span> : null}
      </p>
      <ol className="queue-list">
        {vine.leads.map((l) => (
          <li key={l.leadId}>
            <a href={`#/leads/${l.leadId}`}>
              {[l.title, l.company].filter(Boolean).join(' at ') || `lead ${l.leadId}`}
            </a>{' '}
            <span className="muted small">
              score {l.score ?? '—'} · {l.owner ?? 'unassigned'} · handed over {formatDate(l.handedOverAt)}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** The verdicts in words, the likely cherry-pickers first (the same sentences the CLI prints). */
function VerdictSentences(props: { report: Pick<ReportResult, 'rows'> }) {
  const sentences = props.report.rows
    .map((row) => ({
      sentence: text(row, /^sentence$/i),
      flagged: /cherry/i.test(text(row, /verdict/i) ?? ''),
    }))
    .filter((s): s is { sentence: string; flagged: boolean } => Boolean(s.sentence))
    .sort((a, b) => Number(b.flagged) - Number(a.flagged));
  if (!sentences.length) return null;
  const flagged = sentences.filter((s) => s.flagged);
  const others = sentences.filter((s) => !s.flagged);
  return (
    <div className="verdicts" data-testid="cherry-sentences">
      {flagged.length ? (
        <ul>
          {flagged.map((s) => (
            <li key={s.sentence} className="flagged">
              {s.sentence}
            </li>
          ))}
        </ul>
      ) : (
        <p>No one is likely cherry-picking in this period.</p>
      )}
      {others.length ? (
        <details>
          <summary className="small">The other verdicts ({others.length})</summary>
          <ul className="small">
            {others.map((s) => (
              <li key={s.sentence}>{s.sentence}</li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}

export function CherryPickPage(props: { me: Me }) {
  const [period, setPeriod] = usePeriod();
  const [by, setBy] = useState<'rep' | 'team'>('rep');
  const params = { by, ...period };
  const report = useApi<ReportResult>(reportPath('cherry-pick', params));
  const [group, setGroup] = useState('');
  return (
    <div className="page">
      <header className="page-head">
        <h1>Cherry-pick</h1>
        <p className="muted">
          At equal score, are attractive leads (VP/CXO titles, large or brand-name companies) worked more than
          the rest? Odds ratios above 1 with the whole interval above 1 mean yes.
        </p>
        <fieldset className="filters" aria-label="Compare">
          <label>
            Per
            <select
              aria-label="Per"
              value={by}
              onChange={(e) => setBy(e.target.value === 'team' ? 'team' : 'rep')}
            >
              <option value="rep">rep</option>
              <option value="team">team</option>
            </select>
          </label>
        </fieldset>
        <PeriodPicker period={period} onChange={setPeriod} />
      </header>
      <section className="card" data-testid="cherry-pick">
        <h2>Verdicts</h2>
        <DataState state={report} label="the cherry-pick analysis" isEmpty={(r) => r.rows.length === 0}>
          {(r) => {
            const forest = forestRows(r);
            const groups = heatmapGroups(r.detail);
            const shown = groups.includes(group) ? group : (groups[0] ?? '');
            const heatmaps = heatmapsFrom(r.detail, shown);
            return (
              <>
                {forest.length ? (
                  <ForestPlot
                    rows={forest}
                    caption={`Mantel–Haenszel odds ratio of working an attractive lead, 95% CI, per ${by}`}
                  />
                ) : null}
                <VerdictSentences report={r} />
                <ReportTable report={r} caption={`Cherry-pick verdict per ${by}`} />
                <ReportNotes detail={r.detail} />
                {groups.length ? (
                  <label className="inline">
                    Heatmap for
                    <select aria-label="Heatmap for" value={shown} onChange={(e) => setGroup(e.target.value)}>
                      {groups.map((g) => (
                        <option key={g}>{g}</option>
                      ))}
                    </select>
                  </label>
                ) : null}
                {heatmaps.map((h) => (
                  <Heatmap
                    key={h.title}
                    title={h.title}
                    rows={h.rows}
                    columns={h.columns}
                    cells={h.cells}
                    rowLabel={h.rowLabel}
                  />
                ))}
              </>
            );
          }}
        </DataState>
      </section>
      {report.status === 'ready' ? <LeftOnTheVine detail={report.data.detail} /> : null}
      {props.me.role === 'marketing' ? (
        <p className="muted small">Marketing sees the same verdicts as sales managers, for every team.</p>
      ) : null}
    </div>
  );
}

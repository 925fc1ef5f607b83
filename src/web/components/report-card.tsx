import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { ReportName, ReportResult } from '../../server/api/reports.types.ts';
import { withQuery } from '../api/client.ts';
import { useApi } from '../api/use-api.ts';
import { columnLabel, formatReportCell, formatTick } from '../format.ts';
import { DataState } from './data-state.tsx';
import { type Column, Table } from './table.tsx';

export type ReportParams = Record<string, string | number | undefined>;

export const palette = ['#2f6f4f', '#d98e04', '#b33a3a', '#5b5ea6', '#3a8fb7', '#8a8a8a'];

type Row = ReportResult['rows'][number];

/** Colours that mean the same on every chart: worked green, short amber, never worked red. */
const seriesColours: Record<string, string> = {
  properly_followed_up: '#2f6f4f',
  in_progress: '#8fb9a1',
  worked_but_short: '#d98e04',
  never_worked: '#b33a3a',
  closed_prematurely: '#6b4fa3',
  effort_needed_h: '#b33a3a',
  hours_available: '#2f6f4f',
  effort_spent_h: '#d98e04',
};
const colourOf = (series: string, index: number): string =>
  seriesColours[series] ?? palette[index % palette.length] ?? '#555';

export type ChartSpec = {
  kind: 'bar' | 'stacked' | 'line';
  /** Column(s) for the x axis, joined with " · "; default: the first text column. */
  x?: string | string[];
  /** Columns to plot; default: the numeric columns (at most four). */
  series?: string[];
  /**
   * Plot only the rows with the highest value of this column (e.g. the latest month). A `YYYY-MM`
   * value for the month still running is passed over when an earlier one exists: a month three days
   * old says little about capacity.
   */
  latest?: string;
};

/** The rows a chart draws: limited to the latest value of `spec.latest`, with a joined x label. */
export function chartRows(
  report: Pick<ReportResult, 'columns' | 'rows'>,
  spec: ChartSpec,
  now = new Date(),
): Row[] {
  let rows = report.rows;
  const latest = spec.latest;
  if (latest && report.columns.includes(latest)) {
    const running = now.toISOString().slice(0, 7);
    const values = [...new Set(rows.map((r) => String(r[latest] ?? '')))].sort();
    const complete = values.filter((v) => v !== running);
    const top = (complete.length ? complete : values).pop();
    rows = rows.filter((r) => String(r[latest] ?? '') === top);
  }
  if (Array.isArray(spec.x)) {
    const parts = spec.x.filter((c) => report.columns.includes(c));
    rows = rows.map((r) => ({ ...r, __x: parts.map((c) => String(r[c] ?? '')).join(' · ') }));
  }
  return rows;
}

/** Picks the x column and the numeric series a report's rows can be drawn with. */
export function chartColumns(report: Pick<ReportResult, 'columns' | 'rows'>, spec: ChartSpec) {
  const isNumeric = (column: string) =>
    report.rows.length > 0 && report.rows.every((r) => r[column] === null || typeof r[column] === 'number');
  const x = Array.isArray(spec.x)
    ? '__x'
    : spec.x && report.columns.includes(spec.x)
      ? spec.x
      : report.columns.find((c) => !isNumeric(c));
  const wanted = spec.series?.filter((c) => report.columns.includes(c) && isNumeric(c)) ?? [];
  const series = wanted.length ? wanted : report.columns.filter((c) => c !== x && isNumeric(c)).slice(0, 4);
  return { x, series };
}

export function ReportChart(props: {
  report: Pick<ReportResult, 'columns' | 'rows'>;
  spec: ChartSpec;
  height?: number;
}) {
  const { x, series } = chartColumns(props.report, props.spec);
  if (!x || series.length === 0) return null;
  const data = chartRows(props.report, props.spec);
  const height = props.height ?? 240;
  const common = (
    <>
      <CartesianGrid strokeDasharray="3 3" stroke="#e4e4e0" />
      <XAxis dataKey={x} tick={{ fontSize: 11 }} interval="preserveStartEnd" />
      <YAxis tick={{ fontSize: 11 }} width={48} tickFormatter={formatTick} />
      <Tooltip
        formatter={(value, name, item) =>
          typeof value === 'number'
            ? [formatReportCell(String(item.dataKey ?? ''), value), name]
            : [value, name]
        }
      />
      <Legend wrapperStyle={{ fontSize: 12 }} />
    </>
  );
  return (
    <div className="chart" style={{ height }}>
      <ResponsiveContainer width="100%" height="100%">
        {props.spec.kind === 'line' ? (
          <LineChart data={data}>
            {common}
            {series.map((s, i) => (
              <Line
                key={s}
                type="monotone"
                dataKey={s}
                name={columnLabel(s)}
                stroke={colourOf(s, i)}
                dot={false}
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        ) : (
          <BarChart data={data}>
            {common}
            {series.map((s, i) => (
              <Bar
                key={s}
                dataKey={s}
                name={columnLabel(s)}
                fill={colourOf(s, i)}
                stackId={props.spec.kind === 'stacked' ? 'a' : undefined}
                isAnimationActive={false}
              />
            ))}
          </BarChart>
        )}
      </ResponsiveContainer>
    </div>
  );
}

export function ReportTable(props: { report: ReportResult; caption: string; limit?: number }) {
  const columns: Column<Row>[] = props.report.columns.map((c) => ({
    key: c,
    label: columnLabel(c),
    numeric: props.report.rows.some((r) => typeof r[c] === 'number'),
    render: (row) => formatReportCell(c, row[c]),
  }));
  const rows = props.limit ? props.report.rows.slice(0, props.limit) : props.report.rows;
  return <Table caption={props.caption} columns={columns} rows={rows} rowKey={(_r, i) => i} />;
}

/** The report's own plain-language notes and definitions, when its detail carries them. */
export function ReportNotes(props: { detail: unknown }) {
  const detail = (props.detail ?? {}) as { notes?: unknown; definitions?: unknown };
  const notes = Array.isArray(detail.notes)
    ? detail.notes.filter((n): n is string => typeof n === 'string')
    : [];
  const definitions = Array.isArray(detail.definitions)
    ? detail.definitions.filter((n): n is string => typeof n === 'string')
    : [];
  if (!notes.length && !definitions.length) return null;
  return (
    <div className="notes">
      {notes.map((n) => (
        <p key={n} className="note">
          {n}
        </p>
      ))}
      {definitions.length ? (
        <details>
          <summary className="small">Definitions</summary>
          <ul className="small muted">
            {definitions.map((d) => (
              <li key={d}>{d}</li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}

export const reportPath = (name: ReportName, params: ReportParams): string =>
  withQuery(`/api/reports/${name}`, params);

/** One report as a card: its chart and the same table the CLI prints (`gleaner report NAME`). */
export function ReportCard(props: {
  name: ReportName;
  title: string;
  params: ReportParams;
  chart?: ChartSpec;
  note?: string;
  tableLimit?: number;
  testId?: string;
}) {
  const path = reportPath(props.name, props.params);
  const state = useApi<ReportResult>(path);
  const cli = `gleaner report ${props.name}${Object.entries(props.params)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => ` --${k} ${v}`)
    .join('')}`;
  return (
    <section
      className="card"
      aria-labelledby={`${props.name}-title`}
      data-testid={props.testId ?? `report-${props.name}`}
    >
      <header className="card-head">
        <h2 id={`${props.name}-title`}>{props.title}</h2>
        <a className="small" href={withQuery(path.split('?')[0] ?? path, { ...props.params, format: 'csv' })}>
          CSV
        </a>
      </header>
      {props.note ? <p className="muted small">{props.note}</p> : null}
      <DataState state={state} label={props.title.toLowerCase()} isEmpty={(r) => r.rows.length === 0}>
        {(report) => (
          <>
            {props.chart ? <ReportChart report={report} spec={props.chart} /> : null}
            <ReportNotes detail={report.detail} />
            <ReportTable report={report} caption={props.title} limit={props.tableLimit} />
            <p className="muted small cli">
              Same numbers: <code>{cli}</code>
            </p>
          </>
        )}
      </DataState>
    </section>
  );
}

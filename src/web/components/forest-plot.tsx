import { formatNumber } from '../format.ts';

export type ForestRow = { label: string; estimate: number; low: number; high: number; flagged: boolean };

const min = 0.1;
const max = 20;
const position = (v: number) =>
  `${((Math.log(Math.min(max, Math.max(min, v))) - Math.log(min)) / (Math.log(max) - Math.log(min))) * 100}%`;

/** Odds ratios with confidence intervals on a log scale; 1 (no preference) is the reference line. */
export function ForestPlot(props: { rows: ForestRow[]; caption: string }) {
  return (
    <figure className="forest" aria-label={props.caption}>
      <figcaption className="small muted">{props.caption}</figcaption>
      {props.rows.map((row) => (
        <div key={row.label} className="forest-row">
          <span className="forest-label">{row.label}</span>
          <span className="forest-track">
            <span className="forest-one" style={{ left: position(1) }} aria-hidden="true" />
            <span
              className={`forest-ci ${row.flagged ? 'flagged' : ''}`}
              style={{ left: position(row.low), width: `calc(${position(row.high)} - ${position(row.low)})` }}
            />
            <span
              className={`forest-dot ${row.flagged ? 'flagged' : ''}`}
              style={{ left: position(row.estimate) }}
            />
          </span>
          <span className="forest-value small">
            {formatNumber(row.estimate, 2)} ({formatNumber(row.low, 2)}–{formatNumber(row.high, 2)})
          </span>
        </div>
      ))}
      <div className="forest-row axis small muted" aria-hidden="true">
        <span className="forest-label" />
        <span className="forest-track">
          {[0.1, 0.5, 1, 2, 5, 20].map((t) => (
            <span key={t} className="forest-tick" style={{ left: position(t) }}>
              {t}
            </span>
          ))}
        </span>
        <span className="forest-value" />
      </div>
    </figure>
  );
}

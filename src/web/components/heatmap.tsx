import { formatPercent } from '../format.ts';

export type HeatCell = { row: string; column: string; worked: number; total: number };

/** Worked-rate colour: red (ignored) through amber to green (worked). */
export function rateColour(rate: number): string {
  const hue = Math.round(Math.max(0, Math.min(1, rate)) * 120);
  return `hsl(${hue} 55% 82%)`;
}

/** A rows × columns grid of worked-rates; each cell says the rate and the count behind it. */
export function Heatmap(props: {
  title: string;
  rows: string[];
  columns: string[];
  cells: HeatCell[];
  rowLabel: string;
}) {
  const cell = (row: string, column: string) => props.cells.find((c) => c.row === row && c.column === column);
  return (
    <div className="table-wrap">
      <table className="heatmap">
        <caption>{props.title}</caption>
        <thead>
          <tr>
            <th scope="col">{props.rowLabel}</th>
            {props.columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr key={row}>
              <th scope="row">{row}</th>
              {props.columns.map((column) => {
                const c = cell(row, column);
                if (!c || c.total === 0)
                  return (
                    <td key={column} className="heat empty-cell">
                      —
                    </td>
                  );
                const rate = c.worked / c.total;
                return (
                  <td
                    key={column}
                    className="heat"
                    style={{ background: rateColour(rate) }}
                    title={`${c.worked} of ${c.total} worked`}
                  >
                    <strong>{formatPercent(rate)}</strong>
                    <span className="small muted"> n={c.total}</span>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

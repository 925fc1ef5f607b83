import type { ReactNode } from 'react';

export type Column<T> = {
  key: string;
  label: string;
  render: (row: T) => ReactNode;
  numeric?: boolean;
  /** Hidden on phone-width screens, so the columns that matter fit without scrolling sideways. */
  secondary?: boolean;
};

const cellClass = (c: { numeric?: boolean; secondary?: boolean }): string | undefined =>
  [c.numeric ? 'num' : '', c.secondary ? 'wide-only' : ''].filter(Boolean).join(' ') || undefined;

/** A plain accessible table that scrolls sideways on narrow screens. */
export function Table<T>(props: {
  caption: string;
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey: (row: T, index: number) => string | number;
  onRowClick?: (row: T) => void;
  rowLabel?: (row: T) => string;
}) {
  return (
    <div className="table-wrap">
      <table>
        <caption className="sr-only">{props.caption}</caption>
        <thead>
          <tr>
            {props.columns.map((c) => (
              <th key={c.key} scope="col" className={cellClass(c)}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row, index) => (
            <tr
              key={props.rowKey(row, index)}
              className={props.onRowClick ? 'clickable' : undefined}
              tabIndex={props.onRowClick ? 0 : undefined}
              aria-label={props.rowLabel?.(row)}
              onClick={props.onRowClick ? () => props.onRowClick?.(row) : undefined}
              onKeyDown={
                props.onRowClick
                  ? (event) => {
                      if (event.key === 'Enter' || event.key === ' ') {
                        event.preventDefault();
                        props.onRowClick?.(row);
                      }
                    }
                  : undefined
              }
            >
              {props.columns.map((c) => (
                <td key={c.key} className={cellClass(c)}>
                  {c.render(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

import { stringify } from 'csv-stringify/sync';

export type OutputFormat = 'table' | 'json' | 'csv';

export type Writer = { out: (text: string) => void; err: (text: string) => void };

export const processWriter: Writer = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

/** `--json` / `--csv` flags → a format; every listing command accepts both. */
export function formatFromFlags(flags: { json?: boolean; csv?: boolean }): OutputFormat {
  if (flags.json) return 'json';
  if (flags.csv) return 'csv';
  return 'table';
}

type Cell = string | number | boolean | null | undefined;

/** Prints rows as an aligned text table, JSON, or CSV. */
export function renderRows(
  rows: readonly Record<string, Cell>[],
  format: OutputFormat,
  columns?: string[],
): string {
  const cols = columns ?? (rows[0] ? Object.keys(rows[0]) : []);
  if (format === 'json') return `${JSON.stringify(rows, null, 2)}\n`;
  if (format === 'csv') {
    return stringify(
      rows.map((r) => cols.map((c) => r[c] ?? '')),
      { header: true, columns: cols },
    );
  }
  if (rows.length === 0) return '(none)\n';
  const text = (v: Cell) => (v === null || v === undefined ? '' : String(v));
  const widths = cols.map((c) => Math.min(48, Math.max(c.length, ...rows.map((r) => text(r[c]).length))));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.slice(0, widths[i]).padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return `${[line(cols), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(cols.map((c) => text(r[c]))))].join('\n')}\n`;
}

export const isoTime = (ms: number | null | undefined): string =>
  ms === null || ms === undefined ? '' : new Date(ms).toISOString().replace('.000Z', 'Z');

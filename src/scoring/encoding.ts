import { z } from 'zod';

/** One raw value of a training record: a number, a category, or missing. */
export type RawValue = string | number | null | undefined;
export type RawRecord = Record<string, RawValue>;

const NumericColumn = z.object({
  kind: z.literal('numeric'),
  name: z.string(),
  mean: z.number(),
  sd: z.number(),
  /** Whether a missing-indicator feature follows the value. */
  missingIndicator: z.boolean(),
});
const CategoricalColumn = z.object({
  kind: z.literal('categorical'),
  name: z.string(),
  /** Levels seen often enough in training; anything else goes to "(other)", missing to "(missing)". */
  levels: z.array(z.string()),
});
export const Encoder = z.object({
  columns: z.array(z.discriminatedUnion('kind', [NumericColumn, CategoricalColumn])),
  features: z.array(z.object({ name: z.string(), column: z.string() })),
});
export type Encoder = z.infer<typeof Encoder>;

export const OTHER = '(other)';
export const MISSING = '(missing)';

export const isMissing = (value: RawValue): value is null | undefined | '' =>
  value === null || value === undefined || (typeof value === 'string' && value.trim() === '');

const asNumber = (value: RawValue): number | undefined => {
  if (isMissing(value)) return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  const n = Number(value.trim());
  return Number.isFinite(n) ? n : undefined;
};

/**
 * Learns an encoding from training records: a column whose present values are all numbers is
 * standardised (missing → the mean plus a missing indicator); any other column is one-hot encoded,
 * with rare levels pooled as "(other)" and missing as its own level.
 */
export function fitEncoder(options: {
  records: readonly RawRecord[];
  columns: readonly string[];
  minLevelCount?: number;
}): Encoder {
  const minLevelCount = options.minLevelCount ?? 5;
  const columns: Encoder['columns'] = [];
  const features: Encoder['features'] = [];
  for (const name of options.columns) {
    const values = options.records.map((r) => r[name]);
    const present = values.filter((v) => !isMissing(v));
    const numeric = present.length > 0 && present.every((v) => asNumber(v) !== undefined);
    if (numeric) {
      const nums = present.map((v) => asNumber(v)!);
      const mean = nums.reduce((a, b) => a + b, 0) / nums.length;
      const variance = nums.reduce((a, b) => a + (b - mean) ** 2, 0) / nums.length;
      const missingIndicator = present.length < values.length;
      columns.push({ kind: 'numeric', name, mean, sd: Math.sqrt(variance) || 1, missingIndicator });
      features.push({ name, column: name });
      if (missingIndicator) features.push({ name: `${name}=${MISSING}`, column: name });
    } else {
      const counts = new Map<string, number>();
      for (const v of values) {
        const level = isMissing(v) ? MISSING : String(v).trim();
        counts.set(level, (counts.get(level) ?? 0) + 1);
      }
      const levels = [...counts.entries()]
        .filter(([, c]) => c >= minLevelCount)
        .map(([level]) => level)
        .sort();
      if (!levels.includes(OTHER)) levels.push(OTHER);
      columns.push({ kind: 'categorical', name, levels });
      for (const level of levels) features.push({ name: `${name}=${level}`, column: name });
    }
  }
  return { columns, features };
}

/** Encodes records into a row-major matrix (rows × features) the models read. */
export function encode(
  encoder: Encoder,
  records: readonly RawRecord[],
): { x: Float64Array; rows: number; cols: number } {
  const cols = encoder.features.length;
  const x = new Float64Array(records.length * cols);
  records.forEach((record, r) => {
    encodeInto(encoder, record, x.subarray(r * cols, (r + 1) * cols));
  });
  return { x, rows: records.length, cols };
}

function encodeInto(encoder: Encoder, record: RawRecord, out: Float64Array): void {
  let j = 0;
  for (const column of encoder.columns) {
    const value = record[column.name];
    if (column.kind === 'numeric') {
      const n = asNumber(value);
      out[j++] = n === undefined ? 0 : (n - column.mean) / column.sd;
      if (column.missingIndicator) out[j++] = n === undefined ? 1 : 0;
    } else {
      const level = isMissing(value) ? MISSING : String(value).trim();
      let index = column.levels.indexOf(level);
      if (index < 0) index = column.levels.indexOf(OTHER);
      for (let k = 0; k < column.levels.length; k++) out[j + k] = k === index ? 1 : 0;
      j += column.levels.length;
    }
  }
}

import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { senioritySchema } from './title.ts';

const sampleRow = z.object({
  soc: z.string(),
  title: z.string(),
  label: senioritySchema,
  note: z.string().default(''),
});
export type LabelledTitle = z.infer<typeof sampleRow>;

/** The hand-labelled title sample (test-fixtures/attributes/title-sample.csv: soc,title,label,note). */
export function readLabelledSample(csv: string): LabelledTitle[] {
  const rows: unknown[] = parse(csv, { columns: true, skip_empty_lines: true, trim: true });
  return rows.map((row) => sampleRow.parse(row));
}

import { z } from 'zod';

/**
 * One field's value: a column name (shorthand), or a column / several columns / a template / a constant
 * with transforms. Templates name columns in braces: "SDR {sdr_id}".
 */
export const FieldSpec = z.union([
  z.string().min(1),
  z
    .object({
      column: z.string().min(1).optional(),
      columns: z.array(z.string().min(1)).min(1).optional(),
      /** Joins `columns` (non-empty parts only); default one space. */
      separator: z.string().optional(),
      template: z.string().min(1).optional(),
      const: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
      /** Split the value and keep one part (index; negative counts from the end), or all parts for list fields. */
      split: z
        .object({ separator: z.string().min(1), index: z.number().int().optional() })
        .strict()
        .optional(),
      /** Date formats in luxon tokens, tried in order after ISO 8601. */
      format: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
      /** Decimal separator for numbers. */
      decimal: z.enum(['.', ',']).optional(),
      /** Extra values meaning "empty" for this field. */
      empty: z.array(z.string()).optional(),
      /** Value map, matched case-insensitively after trimming; null maps to empty. */
      map: z.record(z.string(), z.union([z.string(), z.number(), z.null()])).optional(),
      /** Used for values the map does not list; without it an unlisted value rejects the row. */
      mapDefault: z.union([z.string(), z.number(), z.null()]).optional(),
      /** Used when the cell is empty. */
      default: z.union([z.string(), z.number(), z.boolean()]).optional(),
      /** Only set when the record is created; later imports leave it alone (e.g. an initial status). */
      insertOnly: z.boolean().optional(),
      /** A missing column is not an error (exports differ in their optional columns). */
      optional: z.boolean().optional(),
      /** An empty value rejects the row. */
      required: z.boolean().optional(),
    })
    .strict()
    .refine((f) => [f.column, f.columns, f.template, f.const].filter((x) => x !== undefined).length === 1, {
      message: 'give exactly one of "column", "columns", "template" or "const"',
    }),
]);
export type FieldSpec = z.infer<typeof FieldSpec>;

export const RecordMapping = z
  .object({
    fields: z.record(z.string(), FieldSpec),
    /** Source columns kept as JSON in `extra`: a list, or "*" for every column no field uses. */
    extra: z.union([z.literal('*'), z.array(z.string())]).optional(),
    /** Skip (not reject) a record whose value for this field is empty, e.g. a deal without a closer. */
    skipIfEmpty: z.array(z.string()).optional(),
  })
  .strict();
export type RecordMapping = z.infer<typeof RecordMapping>;

export const EntityMapping = z.union([RecordMapping, z.array(RecordMapping).min(1)]);

export const MappingFile = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'use lower-case letters, digits and dashes'),
    description: z.string().optional(),
    /** Where the column names come from (export, documentation). */
    source: z.string().optional(),
    /** Columns that identify this export for `--preset auto`. */
    detect: z.array(z.string().min(1)).optional(),
    /** Time zone for zone-less dates (`--tz` overrides). */
    timeZone: z.string().optional(),
    /** Values meaning "empty" in every column (X Education's "Select"). */
    empty: z.array(z.string()).optional(),
    /** Default date formats (luxon tokens) for every date field. */
    dateFormats: z.array(z.string().min(1)).optional(),
    /** Default country for phone numbers without a country code (ISO 3166 alpha-2). */
    phoneCountry: z.string().length(2).optional(),
    entities: z
      .object({
        leads: EntityMapping.optional(),
        reps: EntityMapping.optional(),
        accounts: EntityMapping.optional(),
        contacts: EntityMapping.optional(),
        opportunities: EntityMapping.optional(),
        'lead-events': EntityMapping.optional(),
        calls: EntityMapping.optional(),
      })
      .strict(),
  })
  .strict();
export type MappingFile = z.infer<typeof MappingFile>;

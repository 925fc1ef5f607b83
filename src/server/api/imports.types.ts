import { z } from 'zod';
import { importKinds as csvImportKinds } from '../../import/entities.ts';
import { EpochMs } from './common.types.ts';

/** CSV imports (the import capability's kinds) and captured files: mbox mail, .ics calendars, call-log CSV. */
export const importKinds = [...csvImportKinds, 'mbox', 'ics', 'calls'] as const;
export const ImportKind = z.enum(importKinds);
export type ImportKind = z.infer<typeof ImportKind>;

/**
 * POST /api/imports: multipart form with `file`, `kind` and optional `preset` (a CRM mapping preset
 * for CSV kinds, or a call-log preset for `calls`; detected from the header when omitted).
 */
export const CreateImportForm = z.object({
  kind: ImportKind,
  preset: z.string().min(1).max(64).optional(),
});
export type CreateImportForm = z.infer<typeof CreateImportForm>;

export const ImportRun = z
  .object({
    id: z.number().int(),
    kind: z.string(),
    file: z.string(),
    preset: z.string().nullable(),
    startedAt: EpochMs,
    finishedAt: EpochMs.nullable(),
    /** running | done | failed */
    status: z.string(),
    /** While running (in this server): rows handled so far and, for CSV files, bytes of the file. */
    progress: z
      .object({
        rows: z.number().int(),
        bytes: z.number().int().nullable(),
        totalBytes: z.number().int().nullable(),
      })
      .nullable(),
    /** read, inserted, updated, unchanged, rejected … as the importer reports them. */
    summary: z.record(z.string(), z.unknown()).nullable(),
    /** Whether GET /api/imports/:id/rejects has rejected rows to download. */
    rejectsAvailable: z.boolean(),
  })
  .meta({ id: 'ImportRun' });
export type ImportRun = z.infer<typeof ImportRun>;

export const ImportRunList = z.object({ runs: z.array(ImportRun) }).meta({ id: 'ImportRunList' });
export type ImportRunList = z.infer<typeof ImportRunList>;

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError, badInput } from '../../errors/app-error.ts';
import { importers } from '../imports/importer-registry.ts';
import type { ServerDeps } from '../route.ts';
import { getImportRun } from './import-runs.ts';
import { type CreateImportForm, CreateImportForm as FormSchema, type ImportRun } from './imports.types.ts';

const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;

/**
 * Saves an uploaded file under the workspace's uploads folder and starts the importer for its kind
 * (the import capability for CSV kinds, capture for mbox / ics / calls) in the background. The
 * request answers as soon as the run is recorded in import_runs (status `running`); GET
 * /api/imports/:id shows its progress, then `done` (or `failed`) with its summary. Problems found
 * before the run starts (a header no mapping fits, an unknown preset) are the request's 400.
 */
export async function createImport(deps: ServerDeps, form: FormData): Promise<ImportRun> {
  const fields = FormSchema.safeParse({
    kind: form.get('kind') ?? undefined,
    preset: form.get('preset') ?? undefined,
  });
  if (!fields.success) {
    const issue = fields.error.issues[0];
    throw badInput(issue?.message ?? 'invalid form', { field: issue?.path.join('.') ?? 'kind' });
  }
  const file = form.get('file');
  if (!(file instanceof File)) throw badInput('attach the file as form field "file"', { field: 'file' });
  if (file.size > MAX_UPLOAD_BYTES)
    throw badInput(`the file is larger than ${MAX_UPLOAD_BYTES} bytes`, { field: 'file' });
  const run = importers[fields.data.kind];
  if (!run)
    throw new AppError(
      'unavailable',
      `imports of kind "${fields.data.kind}" are not available in this build`,
    );
  const path = saveUpload(deps, { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
  const runId = await deps.importJobs.start((hooks) =>
    run(deps.store, {
      path,
      form: fields.data as CreateImportForm,
      now: deps.now,
      defaultTimeZone: deps.config.defaultTimeZone,
      hooks,
    }),
  );
  return getImportRun(deps.store.db, runId, deps.importJobs);
}

function saveUpload(deps: ServerDeps, upload: { name: string; bytes: Uint8Array }): string {
  const dir = join(deps.config.server.uploadsDir, String(deps.now()));
  mkdirSync(dir, { recursive: true });
  // Only the base name, stripped of anything but safe characters: no path traversal.
  const safe =
    upload.name
      .split(/[\\/]/)
      .pop()
      ?.replace(/[^A-Za-z0-9._-]/g, '_') || 'upload';
  const path = join(dir, safe);
  writeFileSync(path, upload.bytes);
  return path;
}

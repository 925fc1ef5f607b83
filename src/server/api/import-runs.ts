import type { Kysely } from 'kysely';
import { notFound } from '../../errors/app-error.ts';
import type { Database } from '../../store/schema.ts';
import type { ImportJobs } from '../imports/import-jobs.ts';
import type { ImportRun, ImportRunList } from './imports.types.ts';

type RunRow = {
  id: number;
  kind: string;
  file: string;
  preset: string | null;
  started_at: number;
  finished_at: number | null;
  status: string;
  summary: string | null;
};

export const parseSummary = (text: string | null): Record<string, unknown> | null => {
  if (!text) return null;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : { value };
  } catch {
    return { text };
  }
};

/** Summary fields the API leaves out: server file paths and the importer's internals. */
const internalFields = new Set(['file', 'rejectsFile', 'runId', 'dryRun', 'rejects', 'rejections']);

const publicSummary = (summary: Record<string, unknown> | null): Record<string, unknown> | null =>
  summary && Object.fromEntries(Object.entries(summary).filter(([k]) => !internalFields.has(k)));

export const toImportRun = (r: RunRow, jobs?: ImportJobs): ImportRun => ({
  id: r.id,
  kind: r.kind,
  file: r.file,
  preset: r.preset,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  status: r.status,
  progress: r.status === 'running' ? (jobs?.progress(r.id) ?? null) : null,
  summary: publicSummary(parseSummary(r.summary)),
  rejectsAvailable: typeof parseSummary(r.summary)?.rejectsFile === 'string',
});

/** Where an import run's rejected rows were written, if it had any (a server path: never sent out). */
export async function importRejectsPath(db: Kysely<Database>, id: number): Promise<string | null> {
  const row = await db.selectFrom('import_runs').select('summary').where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`no import run with id ${id}`);
  const file = parseSummary(row.summary)?.rejectsFile;
  return typeof file === 'string' ? file : null;
}

export async function listImportRuns(db: Kysely<Database>, jobs?: ImportJobs): Promise<ImportRunList> {
  const rows = await db.selectFrom('import_runs').selectAll().orderBy('id', 'desc').limit(200).execute();
  return { runs: rows.map((r) => toImportRun(r, jobs)) };
}

export async function getImportRun(db: Kysely<Database>, id: number, jobs?: ImportJobs): Promise<ImportRun> {
  const row = await db.selectFrom('import_runs').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`no import run with id ${id}`);
  return toImportRun(row, jobs);
}

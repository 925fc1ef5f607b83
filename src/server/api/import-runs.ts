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

const parseSummary = (text: string | null): Record<string, unknown> | null => {
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

export const toImportRun = (r: RunRow, jobs?: ImportJobs): ImportRun => ({
  id: r.id,
  kind: r.kind,
  file: r.file,
  preset: r.preset,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  status: r.status,
  progress: r.status === 'running' ? (jobs?.progress(r.id) ?? null) : null,
  summary: parseSummary(r.summary),
});

export async function listImportRuns(db: Kysely<Database>, jobs?: ImportJobs): Promise<ImportRunList> {
  const rows = await db.selectFrom('import_runs').selectAll().orderBy('id', 'desc').limit(200).execute();
  return { runs: rows.map((r) => toImportRun(r, jobs)) };
}

export async function getImportRun(db: Kysely<Database>, id: number, jobs?: ImportJobs): Promise<ImportRun> {
  const row = await db.selectFrom('import_runs').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`no import run with id ${id}`);
  return toImportRun(row, jobs);
}

import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { readCalendars } from '../../capture/calendar.ts';
import { callMappingFor, loadRepDirectory, readCalls } from '../../capture/calls.ts';
import { type CaptureEvent, type CaptureSummary, runCapture } from '../../capture/capture-run.ts';
import { readMail } from '../../capture/mail-files.ts';
import { importKinds } from '../../import/entities.ts';
import { importFile } from '../../import/import-file.ts';
import type { Store } from '../../store/open-store.ts';
import type { CreateImportForm, ImportKind } from '../api/imports.types.ts';
import type { ImportHooks } from './import-jobs.ts';

/** Runs one import of a saved upload; returns the import_runs id it recorded (also told to `hooks.onStart`). */
export type Importer = (
  store: Store,
  options: {
    path: string;
    form: CreateImportForm;
    now: () => number;
    defaultTimeZone: string;
    hooks?: ImportHooks;
  },
) => Promise<number>;

const DAY = 86_400_000;

/** CSV kinds go through the import capability (it records its own run and rejects file). */
const csvImporter: Importer = async (store, options) => {
  const summary = await importFile({
    store,
    kind: options.form.kind as (typeof importKinds)[number],
    file: options.path,
    ...(options.form.preset ? { preset: options.form.preset } : {}),
    defaultTimeZone: options.defaultTimeZone,
    now: options.now,
    ...(options.hooks
      ? {
          onStart: options.hooks.onStart,
          onProgress: (p: { rows: number; bytes: number; totalBytes: number }) =>
            options.hooks?.onProgress({ rows: p.rows, bytes: p.bytes, totalBytes: p.totalBytes }),
        }
      : {}),
  });
  if (summary.runId === null) throw new Error('the import recorded no run');
  return summary.runId;
};

/**
 * Mail, calendar and call-log files go through the capture capability; the run is recorded here,
 * with the preset the reader used when it chose one (a call log's, recognised from its header).
 */
function captureImporter(
  read: (
    store: Store,
    options: Parameters<Importer>[1],
  ) => Promise<{ events: AsyncIterable<CaptureEvent>; preset?: string }>,
): Importer {
  return async (store, options) => {
    const run = await store.db
      .insertInto('import_runs')
      .values({
        kind: options.form.kind,
        file: basename(options.path),
        preset: options.form.preset ?? null,
        started_at: options.now(),
        status: 'running',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    options.hooks?.onStart(run.id);
    let summary: CaptureSummary | null = null;
    let status = 'failed';
    let error: string | null = null;
    let preset = options.form.preset ?? null;
    try {
      const source = await read(store, options);
      preset = source.preset ?? preset;
      summary = await runCapture({
        db: store.db,
        events: source.events,
        onProgress: (s) => options.hooks?.onProgress({ rows: s.read, bytes: null, totalBytes: null }),
      });
      status = 'done';
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
      throw e;
    } finally {
      let rejectsFile: string | null = null;
      if (summary && summary.rejections.length > 0) {
        rejectsFile = `${options.path}.rejects.csv`;
        writeFileSync(
          rejectsFile,
          stringify([
            ['file', 'offset', 'line', 'record', 'reason'],
            ...summary.rejections.map((r) => [
              basename(r.file),
              r.offset ?? '',
              r.line ?? '',
              r.record ?? '',
              r.reason,
            ]),
          ]),
        );
      }
      await store.db
        .updateTable('import_runs')
        .set({
          preset,
          finished_at: options.now(),
          status,
          summary: JSON.stringify(summary ? { ...summary, rejectsFile } : { error }),
        })
        .where('id', '=', run.id)
        .execute();
    }
    return run.id;
  };
}

/** Import kind → the import / capture capability's function. */
export const importers: Partial<Record<ImportKind, Importer>> = {
  ...Object.fromEntries(importKinds.map((k) => [k, csvImporter])),
  mbox: captureImporter(async (_store, o) => ({ events: readMail({ paths: [o.path], format: 'mbox' }) })),
  ics: captureImporter(async (_store, o) => {
    const now = o.now();
    return {
      events: readCalendars({
        paths: [o.path],
        options: { from: now - 365 * DAY, to: now + 90 * DAY, defaultZone: o.defaultTimeZone },
      }),
    };
  }),
  calls: captureImporter(async (store, o) => {
    const { mapping } = await callMappingFor({ file: o.path, preset: o.form.preset });
    return {
      preset: mapping.name,
      events: readCalls({
        file: o.path,
        mapping,
        timeZone: o.defaultTimeZone,
        reps: await loadRepDirectory(store.db),
      }),
    };
  }),
};

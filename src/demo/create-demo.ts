import type { Kysely } from 'kysely';
import { readCalendars } from '../capture/calendar.ts';
import { loadCallMapping, loadRepDirectory, readCalls } from '../capture/calls.ts';
import { type CaptureSummary, runCapture } from '../capture/capture-run.ts';
import { readMail } from '../capture/mail-files.ts';
import type { Database } from '../store/schema.ts';
import { type DemoFiles, writeDemoFiles } from './demo-files.ts';
import { generateDemoWorkspace } from './generate-demo.ts';
import { type LoadSummary, loadDemoWorkspace } from './load-demo.ts';

export type DemoCapture = { read: number; captured: number; duplicates: number; rejected: number };

/** Runs the demo's mbox, .ics and Aircall CSV through capture, as `gleaner capture …` would. */
export async function captureDemoFiles(
  db: Kysely<Database>,
  options: { files: DemoFiles; now: number },
): Promise<DemoCapture> {
  const total: DemoCapture = { read: 0, captured: 0, duplicates: 0, rejected: 0 };
  const add = (s: CaptureSummary) => {
    total.read += s.read;
    total.captured += s.captured;
    total.duplicates += s.duplicates;
    total.rejected += s.rejected;
  };
  add(await runCapture({ db, events: readMail({ paths: [options.files.mbox], format: 'mbox' }) }));
  const year = 365 * 86_400_000;
  add(
    await runCapture({
      db,
      events: readCalendars({
        paths: [options.files.ics],
        options: { from: options.now - year, to: options.now + 90 * 86_400_000, defaultZone: 'UTC' },
      }),
    }),
  );
  const reps = await loadRepDirectory(db);
  add(
    await runCapture({
      db,
      events: readCalls({
        file: options.files.callsCsv,
        mapping: loadCallMapping({ preset: 'aircall' }),
        timeZone: 'UTC',
        reps,
      }),
    }),
  );
  return total;
}

export type CreateDemoOptions = {
  seed?: number;
  leads?: number;
  /** The demo's "today"; the SLA clock of recent leads runs against it. */
  now: number;
  /** Where the mbox, .ics and calls CSV are written (kept for `gleaner capture` runs). */
  filesDir: string;
};

/** Generates the seeded demo workspace, writes its capture files and loads it into an empty store. */
export async function createDemoWorkspace(
  db: Kysely<Database>,
  options: CreateDemoOptions,
): Promise<LoadSummary & { files: DemoFiles; capture: DemoCapture }> {
  const workspace = generateDemoWorkspace({
    seed: options.seed ?? 20261123,
    leads: options.leads ?? 3000,
    now: options.now,
    days: 120,
  });
  const files = writeDemoFiles(workspace, options.filesDir);
  const summary = await loadDemoWorkspace(db, { workspace, now: options.now });
  // The activity goes through the real capture path: parse, filter, match (with reasons), lead_stats.
  const captured = await captureDemoFiles(db, { files, now: options.now });
  return { ...summary, activities: captured.captured, capture: captured, files };
}

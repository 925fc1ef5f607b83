// Import benchmark (issue 3): a seeded 1,000,000-row lead CSV imported into SQLite (target ≥ 100,000
// rows/s) and PostgreSQL (target ≥ 50,000 rows/s), each against parsing the same file with the CSV
// parser the importer uses (Papa Parse) alone in the same run (aim ≥ 0.5), with peak RSS (≤ 300 MB).
// The importer's reader (Papa handing records over in chunks, csv-parse for malformed input) and
// csv-parse alone (the importer's parser before) are timed too, and so is each engine alone storing the
// same rows laid out beforehand (bench/engine-floor.ts: the most any import can reach here; on
// PostgreSQL with the server's CPU time, which shares the cores). Every phase runs in its own process,
// so each peak RSS and CPU time is that phase's own. Wall time is noisy on a shared machine: CPU
// seconds are printed beside it.
// `npm run bench -- import` runs 1,000,000 rows; BENCH_ROWS=100000 (or BENCH_QUICK=1) a smaller file;
// BENCH_ENGINE=sqlite|postgres one engine. TEST_DATABASE_URL picks the PostgreSQL server (each run
// imports into a throw-away database of its own). The importer runs from the CLI bundle, as
// `gleaner import` does (BENCH_FROM_SOURCE=1: from source through tsx). Wall time on a shared 2-core
// machine varies by ±30% from minute to minute: each engine's import runs BENCH_RUNS times (default 3;
// --quick 1), each in a fresh store, and the run with the median wall time is reported with every
// run's time beside it; its peak RSS is the highest of the runs.
import { spawnSync } from 'node:child_process';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'csv-parse';
import Papa from 'papaparse';
import { csvParseOptions, papaOptions, readCsvChunks } from '../src/import/csv-reader.ts';
import { writeGeneratedLeads } from '../src/import/generate-leads.ts';
import { importFile as importFromSource } from '../src/import/import-file.ts';
import { openStore, type Store } from '../src/store/open-store.ts';
import { openTempPostgres } from '../src/testing/engines.ts';
import { engineFloor } from './engine-floor.ts';
import { benchRuns, medianRun } from './repeat.ts';
import { localPostgresCpuSeconds } from './server-cpu.ts';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const quick = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
const rows = Number(arg('rows') ?? process.env.BENCH_ROWS ?? (quick ? 100_000 : 1_000_000));
const only = arg('engine') ?? process.env.BENCH_ENGINE;
const runs = benchRuns(quick);
const pgUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
// BENCH_READ_IN_WORKER=0|1 forces the importer's read worker off or on (default: by file size).
const readInWorker =
  process.env.BENCH_READ_IN_WORKER === undefined ? undefined : process.env.BENCH_READ_IN_WORKER === '1';

// The importer as `gleaner import` runs it: from the CLI bundle (src/import/import-api.ts), or from
// source (tsx) when the bundle cannot be built here or BENCH_FROM_SOURCE=1 (as the bench ran before).
// The store is opened by the same code: the bundle holds its own copy of kysely, whose classes the
// importer checks (a store from the sources would look like PostgreSQL to it).
type Importer = { importFile: typeof importFromSource; openStore: typeof openStore };
async function loadImporter(): Promise<Importer> {
  const fromSource = { importFile: importFromSource, openStore };
  if (process.env.BENCH_FROM_SOURCE === '1') return fromSource;
  const { freshCliBundle } = await import('../scripts/cli-bundle.mjs');
  const main = await freshCliBundle();
  if (main === undefined) return fromSource;
  return (await import(pathToFileURL(join(dirname(main), 'import-api.js')).href)) as Importer;
}

// VmHWM is this process's own high-water mark (ru_maxrss also counts the parent's RSS from before exec).
const peakMb = (): number => {
  try {
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (hwm) return Math.round(Number(hwm) / 1024);
  } catch {}
  return Math.round(process.resourceUsage().maxRSS / 1024);
};

/** A run's wall and CPU seconds; `server`: a local PostgreSQL server's CPU seconds meanwhile. */
type Measure = { rows: number; wall: number; cpu: number; server: number | null };
async function measure(run: () => Promise<number>): Promise<Measure> {
  const server0 = localPostgresCpuSeconds();
  const cpu0 = process.cpuUsage();
  const t = performance.now();
  const n = await run();
  const cpu = process.cpuUsage(cpu0);
  const server1 = localPostgresCpuSeconds();
  const server = server0 === null || server1 === null ? null : server1 - server0;
  return { rows: n, wall: (performance.now() - t) / 1000, cpu: (cpu.user + cpu.system) / 1e6, server };
}

mkdirSync('bench/out', { recursive: true });
const file = join('bench/out', `leads-${rows}.csv`);

async function parseWithReader(): Promise<number> {
  let n = 0;
  for await (const chunk of readCsvChunks(createReadStream(file, { highWaterMark: 1 << 16 })))
    n += chunk.records.length;
  return n;
}

async function parseWithCsvParse(): Promise<number> {
  let n = 0;
  const parser = createReadStream(file, { highWaterMark: 1 << 16 }).pipe(parse(csvParseOptions));
  for await (const _ of parser) n += 1;
  return n;
}

async function parseWithPapa(): Promise<number> {
  let n = 0;
  const input = createReadStream(file, { highWaterMark: 1 << 16, encoding: 'utf8' });
  await new Promise<void>((resolve, reject) => {
    Papa.parse<string[]>(input, {
      ...papaOptions,
      skipEmptyLines: true,
      chunk: (result) => {
        n += result.data.length;
      },
      complete: () => resolve(),
      error: reject,
    });
  });
  return n;
}

async function importInto(
  open: (openWith: typeof openStore) => Promise<Store>,
): Promise<{ first: Measure; again: Measure; firstPeakMb: number }> {
  const importer = await loadImporter();
  const importFile = importer.importFile;
  const store = await open(importer.openStore);
  try {
    const first = await measure(async () => {
      const s = await importFile({ store, kind: 'leads', file, preset: 'gleaner-leads', readInWorker });
      if (s.inserted !== rows) throw new Error(`inserted ${s.inserted}, expected ${rows}`);
      return s.read;
    });
    const firstPeakMb = peakMb(); // the high-water mark so far: the first import's own
    const again = await measure(async () => {
      const s = await importFile({ store, kind: 'leads', file, preset: 'gleaner-leads', readInWorker });
      if (s.unchanged !== rows) throw new Error(`re-import: unchanged ${s.unchanged}, expected ${rows}`);
      return s.read;
    });
    return { first, again, firstPeakMb };
  } finally {
    await store.close();
  }
}

const phase = arg('phase');
if (phase) {
  // A child: one measurement, printed as JSON on the last line.
  let result: Record<string, unknown>;
  if (phase === 'reader') result = { ...(await measure(parseWithReader)) };
  else if (phase === 'csv-parse') result = { ...(await measure(parseWithCsvParse)) };
  else if (phase === 'papa') result = { ...(await measure(parseWithPapa)) };
  else if (phase === 'sqlite-floor') {
    const dir = mkdtempSync(join(tmpdir(), 'gleaner-bench-'));
    const path = join(dir, 'floor.db');
    const store = await openStore({ url: path });
    try {
      result = { ...(await engineFloor(file, store, path)) };
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  } else if (phase === 'postgres-floor') {
    const store = await openTempPostgres(pgUrl);
    try {
      result = { ...(await engineFloor(file, store)) };
    } finally {
      await store.close();
    }
  } else if (phase === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'gleaner-bench-'));
    try {
      result = await importInto((openWith) => openWith({ url: join(dir, 'bench.db') }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } else result = await importInto((openWith) => openTempPostgres(pgUrl, openWith));
  console.log(JSON.stringify({ ...result, peakMb: peakMb() }));
} else {
  if (!existsSync(file)) {
    const t = performance.now();
    await writeGeneratedLeads({ path: file, rows, seed: 42 });
    console.log(
      `generated ${rows.toLocaleString('en')} rows in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
  }
  console.log(
    `file: ${file} (${(statSync(file).size / 1e6).toFixed(0)} MB, ${rows.toLocaleString('en')} rows)`,
  );
  const child = (name: string): Record<string, unknown> & { peakMb: number } => {
    const run = spawnSync(
      process.execPath,
      // The V8 setting bin/gleaner.mjs gives every command (`gleaner import` runs with it), for every phase.
      [
        '--heap-growing-percent=50',
        '--import',
        'tsx',
        'bench/import.bench.ts',
        `--phase=${name}`,
        `--rows=${rows}`,
      ],
      { encoding: 'utf8' },
    );
    if (run.status !== 0) throw new Error(`${name}: ${run.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    return JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}');
  };
  const fmt = (n: number) => Math.round(n).toLocaleString('en').padStart(9);
  const line = (label: string, m: Measure) =>
    `${label.padEnd(28)} ${fmt(rows / m.wall)} rows/s  wall ${m.wall.toFixed(1).padStart(5)} s  CPU ${m.cpu.toFixed(1).padStart(5)} s (${fmt(rows / m.cpu)} rows per CPU s)`;
  const reader = child('reader') as unknown as Measure & { peakMb: number };
  const papa = child('papa') as unknown as Measure & { peakMb: number };
  const csvParse = child('csv-parse') as unknown as Measure & { peakMb: number };
  console.log(`${line('parse-only (Papa Parse)', papa)}  peak RSS ${papa.peakMb} MB   <- baseline`);
  console.log(`${line('parse-only (import reader)', reader)}  peak RSS ${reader.peakMb} MB`);
  console.log(`${line('parse-only (csv-parse)', csvParse)}  peak RSS ${csvParse.peakMb} MB`);
  const targets: Record<string, number> = { sqlite: 100_000, postgres: 50_000 };
  for (const engine of ['sqlite', 'postgres']) {
    if (only && only !== engine) continue;
    try {
      type Run = { first: Measure; again: Measure; firstPeakMb: number; peakMb: number };
      const all = Array.from({ length: runs }, () => child(engine) as unknown as Run);
      const { run: median, note: times } = medianRun(all, (a) => a.first.wall);
      const r: Run = {
        ...median,
        firstPeakMb: Math.max(...all.map((a) => a.firstPeakMb)),
        peakMb: Math.max(...all.map((a) => a.peakMb)),
      };
      const floor = child(`${engine}-floor`) as unknown as Measure;
      const rate = rows / r.first.wall;
      const target = targets[engine] ?? 0;
      // On PostgreSQL the server's CPU counts too: on 2 cores, wall ≥ (client + server CPU) / 2.
      const serverCpu = (m: Measure) =>
        engine === 'postgres' && m.server !== null ? `; server CPU ${m.server.toFixed(1)} s` : '';
      console.log(
        `${line(`${engine} import`, r.first)}  peak RSS ${r.firstPeakMb} MB${serverCpu(r.first)}${times}\n` +
          `${''.padEnd(28)} target ≥ ${target.toLocaleString('en')} rows/s: ${rate >= target ? 'met' : 'NOT met'}; ` +
          `ratio to parse-only (Papa): wall ${(rate / (rows / papa.wall)).toFixed(2)}, CPU ${(papa.cpu / r.first.cpu).toFixed(2)} (aim ≥ 0.5); ` +
          `to csv-parse: CPU ${(csvParse.cpu / r.first.cpu).toFixed(2)}\n` +
          `${line(`${engine} re-import (unchanged)`, r.again)}  peak RSS ${r.peakMb} MB (either import)${serverCpu(r.again)}\n` +
          `${line(`${engine} engine alone`, floor)}${serverCpu(floor)}  <- the same rows laid out beforehand: ` +
          `only inserts, commits and index builds timed (bench/engine-floor.ts); import/engine: wall ${(floor.wall / r.first.wall).toFixed(2)}`,
      );
    } catch (error) {
      console.log(`${engine}: failed: ${(error as Error).message}`);
    }
  }
  console.log(
    'targets: SQLite ≥ 100,000 rows/s, PostgreSQL ≥ 50,000 rows/s, ratio ≥ 0.5, peak RSS ≤ 300 MB per import',
  );
}

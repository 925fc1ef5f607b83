// Import benchmark (issue 3): a seeded 1,000,000-row lead CSV imported into SQLite (target ≥ 100,000
// rows/s) and PostgreSQL (target ≥ 50,000 rows/s), each against parsing the same file with csv-parse
// alone in the same run (aim ≥ 0.5), with peak RSS (≤ 300 MB). `--quick` or BENCH_QUICK=1: 100,000 rows.
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
import { join } from 'node:path';
import { parse } from 'csv-parse';
import { writeGeneratedLeads } from '../src/import/generate-leads.ts';
import { importFile } from '../src/import/import-file.ts';
import { openStore, type Store } from '../src/store/open-store.ts';
import { openTempPostgres } from '../src/testing/engines.ts';

const quick = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
const rows = quick ? 100_000 : 1_000_000;
const only = process.argv.find((a) => a.startsWith('--engine='))?.slice('--engine='.length);
const pgUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

// VmHWM is this process's own high-water mark (ru_maxrss also counts the parent's RSS from before exec).
const peakMb = (): number => {
  try {
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (hwm) return Math.round(Number(hwm) / 1024);
  } catch {}
  return Math.round(process.resourceUsage().maxRSS / 1024);
};

mkdirSync('bench/out', { recursive: true });
const file = join('bench/out', `leads-${rows}.csv`);
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

async function parseOnly(): Promise<number> {
  const t = performance.now();
  let n = 0;
  const parser = createReadStream(file, { highWaterMark: 1 << 20 }).pipe(
    parse({
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
      skip_records_with_error: true,
    }),
  );
  for await (const _ of parser) n += 1;
  const s = (performance.now() - t) / 1000;
  if (n !== rows + 1) throw new Error(`parsed ${n} records, expected ${rows + 1}`);
  return rows / s;
}

async function importInto(name: string, open: () => Promise<Store>, target: number, baseline: number) {
  const store = await open();
  try {
    const t = performance.now();
    const summary = await importFile({ store, kind: 'leads', file, preset: 'gleaner-leads' });
    const s = (performance.now() - t) / 1000;
    if (summary.inserted !== rows) throw new Error(`${name}: inserted ${summary.inserted}, expected ${rows}`);
    const rate = rows / s;
    const t2 = performance.now();
    const again = await importFile({ store, kind: 'leads', file, preset: 'gleaner-leads' });
    const s2 = (performance.now() - t2) / 1000;
    if (again.unchanged !== rows)
      throw new Error(`${name}: re-import unchanged ${again.unchanged}, expected ${rows}`);
    console.log(
      `${name.padEnd(10)} import ${Math.round(rate).toLocaleString('en').padStart(9)} rows/s (${s.toFixed(1)} s; target ≥ ${target.toLocaleString('en')}: ${rate >= target ? 'met' : 'NOT met'}); ratio to parse-only ${(rate / baseline).toFixed(2)} (aim ≥ 0.5); re-import (all unchanged) ${Math.round(rows / s2).toLocaleString('en')} rows/s; peak RSS ${peakMb()} MB`,
    );
  } finally {
    await store.close();
  }
}

// Each phase runs in its own process, so each peak RSS is that phase's own.
const phase = process.argv.find((a) => a.startsWith('--phase='))?.slice('--phase='.length);
if (phase) {
  const baseline = Number(
    process.argv.find((a) => a.startsWith('--baseline='))?.slice('--baseline='.length) ?? '0',
  );
  if (phase === 'parse') {
    const rate = await parseOnly();
    console.log(JSON.stringify({ rate, peakMb: peakMb() }));
  } else if (phase === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'gleaner-bench-'));
    await importInto('sqlite', () => openStore({ url: join(dir, 'bench.db') }), 100_000, baseline);
    rmSync(dir, { recursive: true, force: true });
  } else {
    await importInto('postgres', () => openTempPostgres(pgUrl), 50_000, baseline);
  }
} else {
  const self = (args: string[]) =>
    spawnSync(
      process.execPath,
      ['--import', 'tsx', 'bench/import.bench.ts', ...process.argv.slice(2), ...args],
      {
        encoding: 'utf8',
      },
    );
  const parsed = self(['--phase=parse']);
  const base = JSON.parse(parsed.stdout.trim().split('\n').at(-1) ?? '{}') as {
    rate: number;
    peakMb: number;
  };
  console.log(
    `parse-only (csv-parse, same options) ${Math.round(base.rate).toLocaleString('en')} rows/s; peak RSS ${base.peakMb} MB`,
  );
  for (const engine of ['sqlite', 'postgres']) {
    if (only && only !== engine) continue;
    const run = self([`--phase=${engine}`, `--baseline=${base.rate}`]);
    process.stdout.write(
      run.stdout
        .split('\n')
        .filter((l) => !l.startsWith('file:'))
        .join('\n'),
    );
    if (run.status !== 0)
      console.log(`${engine}: failed: ${run.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  }
  console.log(
    'targets: SQLite ≥ 100,000 rows/s, PostgreSQL ≥ 50,000 rows/s, ratio ≥ 0.5, peak RSS ≤ 300 MB per import',
  );
}

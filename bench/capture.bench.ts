// Capture throughput: a generated mbox (100,000 messages; --quick 10,000) with 1,000 reps and
// 100,000 leads loaded, captured end to end (read, parse headers, match, store) by the real CLI,
// `gleaner capture mail`, on SQLite and on PostgreSQL (BENCH_DATABASE_URL or TEST_DATABASE_URL),
// against a full MIME parse with postal-mime.
//
// The parent generates the mbox and loads the people once per engine into a template store; each
// measured run captures into a fresh copy of it in a process of its own (bin/gleaner.mjs, its V8
// flags, the bundled CLI loading the capture command group: start-up included), observed by an
// --import hook that reports its CPU time and RSS high-water mark at exit. The capture reads and
// matches in a worker thread by default at this size (src/capture/mail-capture.ts); the `1t` rows
// add --no-parallel (one thread). Wall time on a shared 2-core machine varies by ±30% from minute to
// minute: each CLI capture runs BENCH_RUNS times (default 3; --quick 1) and the run with the median
// wall time is reported, with every run's time beside it. Rates are given per wall-clock second and
// per CPU second.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import PostalMime from 'postal-mime';
import { openStore, type Store } from '../src/store/open-store.ts';
import { leadEmail, repEmail, writeGeneratedMbox } from '../src/testing/mail-generator.ts';
import { benchRuns, medianRun } from './repeat.ts';
import { localPostgresCpuSeconds } from './server-cpu.ts';

const quick = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
const MESSAGES = quick ? 10_000 : 100_000;
const REPS = 1_000;
const LEADS = quick ? 10_000 : 100_000;
const RUNS = benchRuns(quick);

type Figures = {
  count: number;
  seconds: number;
  cpuSeconds: number;
  /** The child process's RSS high-water mark (startup, store open, match index and the run). */
  maxRssMb: number;
  captured?: number;
  skipped?: Record<string, number>;
  /** A local PostgreSQL server's CPU seconds during the run (bench/server-cpu.ts). */
  serverCpuSeconds?: number;
};

async function loadPeople(store: Store): Promise<void> {
  const now = Date.now();
  const reps = Array.from({ length: REPS }, (_, i) => ({
    external_id: `rep-${i}`,
    name: `Rep ${i}`,
    email: repEmail(i),
    created_at: now,
    updated_at: now,
  }));
  for (let i = 0; i < reps.length; i += 500)
    await store.db
      .insertInto('reps')
      .values(reps.slice(i, i + 500))
      .execute();
  for (let i = 0; i < LEADS; i += 1000) {
    const rows = Array.from({ length: Math.min(1000, LEADS - i) }, (_, k) => ({
      external_id: `lead-${i + k}`,
      email: leadEmail(i + k),
      status: 'mql',
      owner_rep_id: ((i + k) % REPS) + 1,
      created_at: now,
      updated_at: now,
    }));
    await store.db.insertInto('leads').values(rows).execute();
  }
}

async function timed(
  work: () => Promise<{ count: number; captured?: number; skipped?: Record<string, number> }>,
) {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const result = await work();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const figures: Figures = {
    ...result,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  };
  console.log(JSON.stringify(figures));
}

/** Child baseline: split the same mbox into whole messages and parse each fully with postal-mime. */
async function childPostalMime(mbox: string): Promise<void> {
  await timed(async () => {
    let pending: Buffer = Buffer.alloc(0);
    let n = 0;
    const parse = async (message: Buffer) => {
      if (message.length === 0) return;
      await PostalMime.parse(message.subarray(message.indexOf(10) + 1));
      n++;
    };
    for await (const chunk of createReadStream(mbox, { highWaterMark: 1 << 20 })) {
      pending = Buffer.concat([pending, chunk as Buffer]);
      let cut = pending.indexOf('\nFrom ');
      while (cut !== -1) {
        await parse(pending.subarray(0, cut + 1));
        pending = pending.subarray(cut + 1);
        cut = pending.indexOf('\nFrom ');
      }
    }
    await parse(pending);
    return { count: n };
  });
}

/** A store with the people loaded; each run captures into a fresh copy of it. */
type Template = {
  copy: () => Promise<{ url: string; drop: () => Promise<void> }>;
  drop: () => Promise<void>;
};

async function sqliteTemplate(dir: string): Promise<Template> {
  const file = join(dir, 'template.db');
  const store = await openStore({ url: file });
  try {
    await loadPeople(store);
  } finally {
    await store.close(); // the last connection: the WAL is checkpointed into the file
  }
  let n = 0;
  return {
    copy: async () => {
      const copy = join(dir, `run-${++n}.db`);
      copyFileSync(file, copy);
      return {
        url: copy,
        drop: async () => {
          for (const suffix of ['', '-wal', '-shm']) rmSync(`${copy}${suffix}`, { force: true });
        },
      };
    },
    drop: async () => rmSync(file, { force: true }),
  };
}

async function postgresTemplate(serverUrl: string): Promise<Template> {
  const template = await createPostgresDatabase(serverUrl);
  const store = await openStore({ url: template.url });
  try {
    await loadPeople(store);
  } finally {
    await store.close();
  }
  const name = new URL(template.url).pathname.slice(1);
  return { copy: () => createPostgresDatabase(serverUrl, name), drop: template.drop };
}

const observer = `data:text/javascript,${encodeURIComponent(
  'const t0 = performance.now(); process.on("exit", () => { const u = process.resourceUsage(); process.stderr.write("\\ncli-figures " + JSON.stringify({ seconds: (performance.now() - t0) / 1000, cpuSeconds: (u.userCPUTime + u.systemCPUTime) / 1e6, maxRssMb: u.maxRSS / 1024 }) + "\\n"); });',
)}`;

/** `gleaner --db URL capture mail MBOX --json` in its own process, with its figures. */
function runCli(url: string, mbox: string, flags: readonly string[]): Figures {
  return withServerCpu(url, (): Figures => {
    const run = spawnSync(
      process.execPath,
      ['--import', observer, 'bin/gleaner.mjs', '--db', url, 'capture', 'mail', mbox, '--json', ...flags],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    if (run.status !== 0) throw new Error(`gleaner capture mail failed (${run.status}): ${run.stderr}`);
    const summary = JSON.parse(run.stdout) as {
      read: number;
      captured: number;
      skipped: Record<string, number>;
    };
    const line = run.stderr.split('\n').find((l) => l.startsWith('cli-figures ')) ?? '';
    return {
      count: summary.read,
      captured: summary.captured,
      skipped: summary.skipped,
      ...(JSON.parse(line.slice('cli-figures '.length)) as Omit<Figures, 'count'>),
    };
  });
}

/** The CLI capture `runs` times, each into a fresh copy of the template; the median run by wall time. */
async function captureCli(
  name: string,
  template: Template,
  mbox: string,
  runs: number,
  flags: string[] = [],
): Promise<Figures> {
  const all: Figures[] = [];
  for (let i = 0; i < runs; i++) {
    const store = await template.copy();
    try {
      all.push(runCli(store.url, mbox, flags));
    } finally {
      await store.drop();
    }
  }
  const { run: f, note } = medianRun(all, (r) => r.seconds, 2);
  console.log(describe(name, f, `captured ${f.captured}, skipped ${JSON.stringify(f.skipped)}${note}`));
  return f;
}

function runChild(args: string[]): Figures {
  const run = spawnSync(process.execPath, [...process.execArgv, process.argv[1] as string, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (run.status !== 0) throw new Error(`benchmark child ${args.join(' ')} failed (${run.status})`);
  const line = run.stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(line) as Figures;
}

/** Runs a child capture into `url`, adding a local PostgreSQL server's CPU time to its figures. */
function withServerCpu(url: string, run: () => Figures): Figures {
  const server0 = url.startsWith('postgres') ? localPostgresCpuSeconds() : null;
  const f = run();
  const server1 = server0 === null ? null : localPostgresCpuSeconds();
  return server0 !== null && server1 !== null ? { ...f, serverCpuSeconds: server1 - server0 } : f;
}

function describe(name: string, f: Figures, what: string): string {
  // On 2 cores the client and a local server share them: wall ≥ (CPU + server CPU) / 2.
  const server = f.serverCpuSeconds === undefined ? '' : `, server CPU ${f.serverCpuSeconds.toFixed(2)} s`;
  return `${name.padEnd(15)} ${(f.count / f.seconds).toFixed(0).padStart(7)} msg/s wall, ${(f.count / f.cpuSeconds).toFixed(0).padStart(7)} msg/CPU-s  (${f.seconds.toFixed(2)} s, CPU ${f.cpuSeconds.toFixed(2)} s${server}; ${what}; peak RSS ${f.maxRssMb.toFixed(0)} MB)`;
}

/** A throw-away database on the server (a copy of `template` when given). */
async function createPostgresDatabase(
  serverUrl: string,
  template?: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `gleaner_bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}${template ? ` template ${template}` : ''}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const dropper = new pg.Client({ connectionString: serverUrl });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gleaner-bench-capture-'));
  const mbox = join(dir, 'generated.mbox');
  try {
    const { bytes } = await writeGeneratedMbox({ path: mbox, count: MESSAGES, reps: REPS, leads: LEADS });
    console.log(
      `generated ${MESSAGES} messages (${(bytes / 1024 / 1024).toFixed(0)} MB), ${REPS} reps, ${LEADS} leads${quick ? ' [quick]' : ''}`,
    );
    const runs: Array<[string, Figures]> = [];
    const sqlite = await sqliteTemplate(dir);
    try {
      runs.push(['cli sqlite', await captureCli('cli sqlite', sqlite, mbox, RUNS)]);
      runs.push(['cli sqlite 1t', await captureCli('cli sqlite 1t', sqlite, mbox, 1, ['--no-parallel'])]);
    } finally {
      await sqlite.drop();
    }
    const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
    if (pgUrl) {
      const postgres = await postgresTemplate(pgUrl);
      try {
        runs.push(['cli postgres', await captureCli('cli postgres', postgres, mbox, RUNS)]);
        runs.push([
          'cli postgres 1t',
          await captureCli('cli postgres 1t', postgres, mbox, 1, ['--no-parallel']),
        ]);
      } finally {
        await postgres.drop();
      }
    } else console.log('postgres    skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL)');
    const base = runChild(['--child-postal-mime', mbox]);
    console.log(describe('postal-mime', base, `full MIME parse of ${base.count} messages`));
    for (const [name, f] of runs) {
      const wall = f.count / f.seconds / (base.count / base.seconds);
      const cpu = f.count / f.cpuSeconds / (base.count / base.cpuSeconds);
      console.log(
        `ratio: capture on ${name} is ${wall.toFixed(2)}× (wall) / ${cpu.toFixed(2)}× (CPU) a postal-mime full parse (target ≥ 3×; ≥ 20,000 msg/s; RSS ≤ 200 MB)`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const mode = process.argv[2];
if (mode === '--child-postal-mime') await childPostalMime(process.argv[3] as string);
else await main();

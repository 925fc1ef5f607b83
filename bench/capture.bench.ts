// Capture throughput: a generated mbox (100,000 messages; --quick 10,000) with 1,000 reps and
// 100,000 leads loaded, captured end to end (read, parse headers, match, store) on SQLite and on
// PostgreSQL (BENCH_DATABASE_URL or TEST_DATABASE_URL), against a full MIME parse with postal-mime.
//
// The parent generates the mbox and loads the people; each measured run (capture on each engine,
// the postal-mime baseline) happens in its own child process, so its peak RSS is that process's
// own high-water mark (getrusage maxRSS), not inflated by generation or by the other runs.
// Rates are given per wall-clock second and per CPU second (the machine may be shared). The
// same capture also runs through the real CLI (`gleaner capture mail`, on both engines), whose peak RSS includes
// its start-up (the bundled CLI loading the capture command group) and the V8 flags bin/gleaner.mjs sets;
// it reads and matches in a worker thread by default at this size (src/capture/mail-capture.ts); the
// `1t` rows add --no-parallel (one thread).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import PostalMime from 'postal-mime';
import { runCapture } from '../src/capture/capture-run.ts';
import { readMail } from '../src/capture/mail-files.ts';
import { openStore, type Store } from '../src/store/open-store.ts';
import { leadEmail, repEmail, writeGeneratedMbox } from '../src/testing/mail-generator.ts';
import { localPostgresCpuSeconds } from './server-cpu.ts';

const quick = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
const MESSAGES = quick ? 10_000 : 100_000;
const REPS = 1_000;
const LEADS = quick ? 10_000 : 100_000;

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

/** Child: capture the mbox into an already loaded store. */
async function childCapture(url: string, mbox: string): Promise<void> {
  const store = await openStore({ url });
  try {
    await timed(async () => {
      const s = await runCapture({ db: store.db, events: readMail({ paths: [mbox], format: 'mbox' }) });
      return { count: s.read, captured: s.captured, skipped: s.skipped };
    });
  } finally {
    await store.close();
  }
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

/**
 * The real CLI path: `gleaner --db FILE capture mail MBOX` in its own process (bin/gleaner.mjs,
 * its V8 flags, tsx, every command module), observed by an --import hook that reports its CPU
 * time and RSS high-water mark at exit. Times include the CLI's start-up.
 */
async function captureCliOn(
  name: string,
  file: string,
  mbox: string,
  flags: string[] = [],
): Promise<Figures> {
  const store = await openStore({ url: file });
  try {
    await loadPeople(store);
  } finally {
    await store.close();
  }
  const observer = `data:text/javascript,${encodeURIComponent(
    'const t0 = performance.now(); process.on("exit", () => { const u = process.resourceUsage(); process.stderr.write("\\ncli-figures " + JSON.stringify({ seconds: (performance.now() - t0) / 1000, cpuSeconds: (u.userCPUTime + u.systemCPUTime) / 1e6, maxRssMb: u.maxRSS / 1024 }) + "\\n"); });',
  )}`;
  const f = withServerCpu(file, (): Figures => {
    const run = spawnSync(
      process.execPath,
      ['--import', observer, 'bin/gleaner.mjs', '--db', file, 'capture', 'mail', mbox, '--json', ...flags],
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
  console.log(describe(name, f, `gleaner capture mail, start-up included; captured ${f.captured}`));
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
  return `${name.padEnd(11)} ${(f.count / f.seconds).toFixed(0).padStart(7)} msg/s wall, ${(f.count / f.cpuSeconds).toFixed(0).padStart(7)} msg/CPU-s  (${f.seconds.toFixed(2)} s, CPU ${f.cpuSeconds.toFixed(2)} s${server}; ${what}; peak RSS ${f.maxRssMb.toFixed(0)} MB)`;
}

async function createPostgresDatabase(
  serverUrl: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `gleaner_bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
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

/** Prepares a store with the people loaded (in the parent) and captures into it in a child. */
async function captureOn(name: string, url: string, mbox: string): Promise<Figures> {
  const store = await openStore({ url });
  try {
    await loadPeople(store);
  } finally {
    await store.close();
  }
  const f = withServerCpu(url, () => runChild(['--child-capture', url, mbox]));
  console.log(describe(name, f, `captured ${f.captured}, skipped ${JSON.stringify(f.skipped)}`));
  return f;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gleaner-bench-capture-'));
  const mbox = join(dir, 'generated.mbox');
  try {
    const { bytes } = await writeGeneratedMbox({ path: mbox, count: MESSAGES, reps: REPS, leads: LEADS });
    console.log(
      `generated ${MESSAGES} messages (${(bytes / 1024 / 1024).toFixed(0)} MB), ${REPS} reps, ${LEADS} leads${quick ? ' [quick]' : ''}`,
    );
    const runs: Array<[string, Figures]> = [
      ['sqlite', await captureOn('sqlite', join(dir, 'bench.db'), mbox)],
      ['cli sqlite', await captureCliOn('cli sqlite', join(dir, 'cli.db'), mbox)],
      [
        'cli sqlite 1t',
        await captureCliOn('cli sqlite 1t', join(dir, 'cli-one-thread.db'), mbox, ['--no-parallel']),
      ],
    ];
    const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
    if (pgUrl) {
      const database = await createPostgresDatabase(pgUrl);
      try {
        runs.push(['postgres', await captureOn('postgres', database.url, mbox)]);
      } finally {
        await database.drop();
      }
      for (const [name, flags] of [
        ['cli postgres', []],
        ['cli postgres 1t', ['--no-parallel']],
      ] as const) {
        const cliDatabase = await createPostgresDatabase(pgUrl);
        try {
          runs.push([name, await captureCliOn(name, cliDatabase.url, mbox, [...flags])]);
        } finally {
          await cliDatabase.drop();
        }
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
if (mode === '--child-capture') await childCapture(process.argv[3] as string, process.argv[4] as string);
else if (mode === '--child-postal-mime') await childPostalMime(process.argv[3] as string);
else await main();

// Report endpoints under load: 100 concurrent clients for 60 s on 127.0.0.1 against a seeded
// 100,000-lead / ~2,000,000-activity SQLite workspace; target p95 ≤ 50 ms with 0 errors. Baseline in
// the same run: a static JSON file of the same size served by the same server process.
//
//   node --import tsx bench/server.bench.ts            # 100k leads, 60 s per phase
//   node --import tsx bench/server.bench.ts --quick    # 10k leads, 10 s per phase
//
// The server runs in a child process (`gleaner serve`), the load generator (autocannon) here.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import autocannon from 'autocannon';
import Sqlite from 'better-sqlite3';
import { createApiToken } from '../src/server/auth/api-tokens.ts';
import { createUser } from '../src/server/auth/users.ts';
import { reportFunctions } from '../src/server/reports/report-registry.ts';
import { openStore } from '../src/store/open-store.ts';
import { type GeneratedWorkspace, generateWorkspace } from '../src/testing/generate-workspace.ts';

const quick = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
const leads = quick ? 10_000 : 100_000;
const seconds = quick ? 10 : 60;
const connections = 100;
const port = 3900 + Math.floor(Math.random() * 90);
const start = Date.UTC(2025, 0, 1);
const end = Date.UTC(2026, 9, 1);

const dir = mkdtempSync(join(tmpdir(), 'gleaner-server-bench-'));
const dbPath = join(dir, 'bench.db');
const webRoot = join(dir, 'web');
let server: ChildProcess | undefined;

async function main(): Promise<void> {
  console.log(`workspace: ${leads} leads, ${connections} clients × ${seconds} s per phase, ${dbPath}`);
  const loaded = await load(
    generateWorkspace({ seed: 42, leads, reps: 200, activitiesPerLead: 27, start, end }),
  );
  console.log(
    `loaded ${loaded.leads} leads, ${loaded.activities} activities in ${(loaded.ms / 1000).toFixed(1)} s`,
  );

  const store = await openStore({ url: dbPath });
  const admin = await createUser(store.db, {
    input: { email: 'bench@gleaner.test', role: 'admin', password: 'bench password 123' },
    now: Date.now(),
  });
  const { token } = await createApiToken(store.db, { userId: admin.id, name: 'bench', now: Date.now() });
  await store.close();

  const names = Object.keys(reportFunctions);
  // Three variants per report: whole workspace, by rep, and by source (by team for cherry-pick).
  const paths = names.flatMap((n) => [
    `/api/reports/${n}`,
    `/api/reports/${n}?by=rep`,
    `/api/reports/${n}?by=${n === 'cherry-pick' ? 'team' : 'source'}`,
  ]);
  // The baseline file goes in the static web root; the server serves it from disk on every request.
  rmSync(webRoot, { recursive: true, force: true });
  mkdirSync(webRoot, { recursive: true });
  writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>bench</title>');

  server = await startServer();
  const base = `http://127.0.0.1:${port}`;
  const auth = { authorization: `Bearer ${token}` };

  // Cold: the first request of each report computes it (shared data load, SLA evaluation of every lead).
  console.log('\ncold (first request computes, later ones hit the cache):');
  const bodies: Buffer[] = [];
  for (const path of paths) {
    const t = performance.now();
    const res = await fetch(base + path, { headers: auth });
    const body = Buffer.from(await res.arrayBuffer());
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${body.toString().slice(0, 200)}`);
    bodies.push(body);
    console.log(
      `  ${path.padEnd(44)} ${(performance.now() - t).toFixed(0).padStart(6)} ms  ${body.length} bytes`,
    );
  }
  // Baseline: each report's JSON as a static file (and its .gz), fetched in the same rotation.
  mkdirSync(join(webRoot, 'baseline'), { recursive: true });
  bodies.forEach((body, i) => {
    writeFileSync(join(webRoot, 'baseline', `${i}.json`), body);
    writeFileSync(join(webRoot, 'baseline', `${i}.json.gz`), gzipSync(body));
  });
  const meanSize = Math.round(bodies.reduce((s, b) => s + b.length, 0) / bodies.length);
  // Like a browser: ask for gzip. Reports come gzipped from the cache, the static files from .gz.
  const gzip = { 'accept-encoding': 'gzip' };
  const probe = await Promise.all([
    fetch(`${base}${paths[0]}`, { headers: { ...auth, ...gzip } }),
    fetch(`${base}/baseline/0.json`, { headers: gzip }),
  ]);
  console.log(
    `content-encoding: reports ${probe[0].headers.get('content-encoding')}, static ${probe[1].headers.get('content-encoding')}`,
  );
  const reports = await load_(
    `reports (${paths.length} URLs round-robin, mean ${meanSize} bytes before gzip)`,
    {
      url: base,
      headers: { ...auth, ...gzip },
      requests: paths.map((path) => ({ method: 'GET', path })),
    },
  );
  const baseline = await load_(`static baseline (the same ${paths.length} bodies as .json files)`, {
    url: base,
    headers: gzip,
    requests: paths.map((_p, i) => ({ method: 'GET', path: `/baseline/${i}.json` })),
  });

  console.log('\nresult:');
  console.log(
    `  reports   p95 ${reports.p95.toFixed(1)} ms, p99 ${reports.p99.toFixed(1)} ms, ${reports.rps.toFixed(0)} req/s, errors ${reports.errors}`,
  );
  console.log(
    `  baseline  p95 ${baseline.p95.toFixed(1)} ms, p99 ${baseline.p99.toFixed(1)} ms, ${baseline.rps.toFixed(0)} req/s, errors ${baseline.errors}`,
  );
  console.log(
    `  ratio reports/baseline: p95 ${(reports.p95 / baseline.p95).toFixed(2)}×, throughput ${(reports.rps / baseline.rps).toFixed(2)}×`,
  );
  console.log(
    `  target p95 ≤ 50 ms with 0 errors: ${reports.p95 <= 50 && reports.errors === 0 ? 'MET' : 'NOT MET'}`,
  );
  const rss = await serverPeakRss();
  if (rss) console.log(`  server peak RSS ${rss}`);
}

type Phase = { p95: number; p99: number; rps: number; errors: number };

/** One load phase; p95 from every response's own latency (autocannon's histogram has no p95). */
async function load_(label: string, options: autocannon.Options): Promise<Phase> {
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ ...options, connections, duration: seconds, pipelining: 1 }, (err, res) =>
      err ? reject(err) : resolve(res),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      latencies.push(responseTime);
    });
  });
  latencies.sort((a, b) => a - b);
  const pick = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  const errors = result.errors + result.timeouts + result.non2xx;
  const phase = { p95: pick(0.95), p99: pick(0.99), rps: result.requests.total / seconds, errors };
  console.log(
    `\n${label}: ${result.requests.total} requests, p50 ${pick(0.5).toFixed(1)} ms, p95 ${phase.p95.toFixed(1)} ms, p99 ${phase.p99.toFixed(1)} ms, max ${result.latency.max} ms, ${phase.rps.toFixed(0)} req/s, errors ${result.errors}, timeouts ${result.timeouts}, non-2xx ${result.non2xx}`,
  );
  return phase;
}

function startServer(): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['bin/gleaner.mjs', '--db', dbPath, 'serve', '--port', String(port), '--host', '127.0.0.1'],
      { env: { ...process.env, GLEANER_WEB_ROOT: webRoot }, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('serving')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

async function serverPeakRss(): Promise<string | null> {
  try {
    const { readFileSync } = await import('node:fs');
    const status = readFileSync(`/proc/${server?.pid}/status`, 'utf8');
    return status.match(/VmHWM:\s+(\d+ kB)/)?.[1] ?? null;
  } catch {
    return null;
  }
}

/** Bulk load with prepared statements in one transaction per batch (columns from the generated rows). */
async function load(ws: GeneratedWorkspace): Promise<{ leads: number; activities: number; ms: number }> {
  const t = performance.now();
  (await openStore({ url: dbPath })).close(); // create and migrate
  const db = new Sqlite(dbPath);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const statements = new Map<string, { stmt: Sqlite.Statement; cols: string[] }>();
  const insert = (table: string, rows: Record<string, unknown>[]) => {
    if (rows.length === 0) return;
    let entry = statements.get(table);
    if (!entry) {
      const cols = Object.keys(rows[0]!);
      entry = {
        cols,
        stmt: db.prepare(
          `insert into ${table} (${cols.join(',')}) values (${cols.map(() => '?').join(',')})`,
        ),
      };
      statements.set(table, entry);
    }
    const { stmt, cols } = entry;
    db.transaction(() => {
      for (const r of rows) stmt.run(cols.map((c) => (r[c] === undefined ? null : r[c])));
    })();
  };
  insert('teams', ws.teams);
  insert('reps', ws.reps);
  insert('accounts', ws.accounts);
  let leadCount = 0;
  let activityCount = 0;
  for (const b of ws.batches(5000)) {
    insert('leads', b.leads);
    insert('lead_stats', b.stats);
    insert('lead_events', b.events);
    insert('activities', b.activities);
    insert('opportunities', b.opportunities);
    leadCount += b.leads.length;
    activityCount += b.activities.length;
    if (process.stdout.isTTY)
      process.stdout.write(`\r  loading: ${leadCount} leads, ${activityCount} activities`);
  }
  if (process.stdout.isTTY) process.stdout.write('\n');
  db.exec('analyze');
  db.close();
  return { leads: leadCount, activities: activityCount, ms: performance.now() - t };
}

try {
  await main();
} finally {
  server?.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 300));
  rmSync(dir, { recursive: true, force: true });
}

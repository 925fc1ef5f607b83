// Report endpoints under load: 100 concurrent clients for 60 s on 127.0.0.1 against the seeded
// 100,000-lead / ~2,100,000-activity SQLite workspace (cached, shared with web.bench.ts); target p95
// ≤ 50 ms with 0 errors. Baseline in the same run: static JSON files of the same sizes served by the
// same server process. The two alternate in slices (so a change in the machine's load hits both),
// and each prints the server's CPU time per request.
//
//   node --import tsx bench/server.bench.ts            # 100k leads, 60 s each in 6 slices
//   node --import tsx bench/server.bench.ts --quick    # 10k leads, 10 s each in 2 slices
//
// The server runs in a child process (`gleaner serve`), the load generator (autocannon) here. When
// `wrk` is installed (it is not required) the same rotation is measured again with it, 60 s each: a C
// load generator takes far less of the two cores than autocannon does (autocannon needs ~350 µs of CPU
// per request, more than the server spends answering a cached report), so wrk's figures are the
// server's own.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import autocannon from 'autocannon';
import { createApiToken } from '../src/server/auth/api-tokens.ts';
import { createUser } from '../src/server/auth/users.ts';
import { reportFunctions } from '../src/server/reports/report-registry.ts';
import { openStore } from '../src/store/open-store.ts';
import { scratchCopy, serverBenchWorkspace } from './workspace-cache.ts';

const quick = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
const leads = quick ? 10_000 : 100_000;
const seconds = quick ? 10 : 60;
const slices = quick ? 2 : 6;
const connections = 100;
const port = 3900 + Math.floor(Math.random() * 90);

const dir = mkdtempSync(join(tmpdir(), 'gleaner-server-bench-'));
const webRoot = join(dir, 'web');
let server: ChildProcess | undefined;
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

async function main(): Promise<void> {
  const cached = await serverBenchWorkspace(leads);
  const dbPath = scratchCopy(cached.path, dir);
  console.log(
    `workspace: ${leads} leads (${cached.generated ? `generated in ${(cached.generateMs / 1000).toFixed(1)} s` : 'cached'}), ${connections} clients, ${seconds} s each for reports and baseline in ${slices} alternating slices; load ${load()}`,
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
  rmSync(webRoot, { recursive: true, force: true });
  mkdirSync(webRoot, { recursive: true });
  writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>bench</title>');

  server = await startServer(dbPath);
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
    writeFileSync(join(webRoot, 'baseline', `${i}.json.gz`), gzipSync(body, { level: 9 }));
  });
  const meanSize = Math.round(bodies.reduce((s, b) => s + b.length, 0) / bodies.length);
  // Like a browser: ask for gzip. Reports come gzipped from the cache, the static files from .gz.
  const gzip = { 'accept-encoding': 'gzip' };
  const probe = await Promise.all([
    fetch(`${base}${paths[0]}`, { headers: { ...auth, ...gzip } }),
    fetch(`${base}/baseline/0.json`, { headers: gzip }),
  ]);
  console.log(
    `content-encoding: reports ${probe[0].headers.get('content-encoding')}, static ${probe[1].headers.get('content-encoding')}; mean body ${meanSize} bytes before gzip`,
  );

  const reportsTarget: Target = {
    label: 'reports',
    headers: { ...auth, ...gzip },
    paths,
  };
  const baselineTarget: Target = {
    label: 'baseline',
    headers: gzip,
    paths: paths.map((_p, i) => `/baseline/${i}.json`),
  };
  const reports = emptyPhase();
  const baseline = emptyPhase();
  const slice = seconds / slices;
  for (let i = 0; i < slices; i++) {
    await runSlice(base, reportsTarget, slice, reports);
    await runSlice(base, baselineTarget, slice, baseline);
    console.log(`  slice ${i + 1}/${slices} done, load ${load()}`);
  }

  console.log('\nresult (autocannon):');
  const r = summary('reports', reports);
  const b = summary('baseline', baseline);
  console.log(
    `  ratio reports/baseline: p95 ${(r.p95 / b.p95).toFixed(2)}×, throughput ${(r.rps / b.rps).toFixed(2)}×, CPU per request ${(r.cpuUs / b.cpuUs).toFixed(2)}×`,
  );
  console.log(
    `  target p95 ≤ 50 ms with 0 errors: ${r.p95 <= 50 && reports.errors === 0 ? 'MET' : 'NOT MET'}`,
  );
  const rss = serverPeakRss();
  if (rss) console.log(`  server peak RSS ${rss}`);

  if (spawnSync('wrk', ['--version']).error === undefined) {
    await crossCheckWithWrk(base, reportsTarget, baselineTarget);
  } else {
    console.log('\nwrk not installed: no cross-check (apt-get install wrk)');
  }
}

type Target = { label: string; headers: Record<string, string>; paths: string[] };
type Phase = { latencies: number[]; requests: number; errors: number; seconds: number; cpuMs: number };
const emptyPhase = (): Phase => ({ latencies: [], requests: 0, errors: 0, seconds: 0, cpuMs: 0 });

/** One slice of load; every response's own latency is kept (autocannon's histogram has no p95). */
async function runSlice(base: string, target: Target, duration: number, into: Phase): Promise<void> {
  const cpu0 = serverCpuMs();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: base,
        headers: target.headers,
        requests: target.paths.map((path) => ({ method: 'GET', path })),
        connections,
        duration,
        pipelining: 1,
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      into.latencies.push(responseTime);
    });
  });
  into.cpuMs += serverCpuMs() - cpu0;
  into.requests += result.requests.total;
  into.errors += result.errors + result.timeouts + result.non2xx;
  into.seconds += duration;
}

function summary(label: string, phase: Phase): { p95: number; rps: number; cpuUs: number } {
  const sorted = phase.latencies.sort((a, b) => a - b);
  const pick = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  const rps = phase.requests / phase.seconds;
  const cpuUs = (phase.cpuMs * 1000) / Math.max(1, phase.requests);
  console.log(
    `  ${label.padEnd(9)} ${phase.requests} requests: p50 ${pick(0.5).toFixed(1)} ms, p95 ${pick(0.95).toFixed(1)} ms, p99 ${pick(0.99).toFixed(1)} ms, max ${(sorted.at(-1) ?? 0).toFixed(0)} ms, ${rps.toFixed(0)} req/s, errors ${phase.errors}; server CPU ${cpuUs.toFixed(0)} µs per request (${((phase.cpuMs / 1000 / phase.seconds) * 100).toFixed(0)}% of a core)`,
  );
  return { p95: pick(0.95), rps, cpuUs };
}

/** The same rotation with wrk (a Lua script cycles the paths); its latency percentiles are its own. */
async function crossCheckWithWrk(base: string, ...targets: Target[]): Promise<void> {
  console.log(`\ncross-check with wrk (2 threads, ${connections} connections, ${seconds} s each):`);
  for (const target of targets) {
    const script = join(dir, `${target.label}.lua`);
    const headers = Object.entries(target.headers)
      .map(([k, v]) => `wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`)
      .join('\n');
    writeFileSync(
      script,
      `${headers}\nlocal paths = {${target.paths.map((p) => JSON.stringify(p)).join(',')}}\nlocal i = 0\nrequest = function()\n  i = i % #paths + 1\n  return wrk.format("GET", paths[i])\nend\ndone = function(summary, latency, requests)\n  io.write(string.format("p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, %.0f req/s, errors %d\\n", latency:percentile(50)/1000, latency:percentile(95)/1000, latency:percentile(99)/1000, summary.requests/(summary.duration/1e6), summary.errors.connect+summary.errors.read+summary.errors.write+summary.errors.status+summary.errors.timeout))\nend\n`,
    );
    const cpu0 = serverCpuMs();
    const run = await new Promise<{ out: string; code: number | null }>((resolve) => {
      const child = spawn(
        'wrk',
        ['-t2', `-c${connections}`, `-d${seconds}s`, '--timeout', '10s', '-s', script, base],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
      });
      child.on('exit', (code) => resolve({ out, code }));
    });
    const cpuMs = serverCpuMs() - cpu0;
    const requests = Number(/(\d+) requests in/.exec(run.out)?.[1] ?? 0);
    const line = run.out.trim().split('\n').at(-1) ?? '';
    console.log(
      `  ${target.label.padEnd(9)} ${line}; server CPU ${((cpuMs * 1000) / Math.max(1, requests)).toFixed(0)} µs per request; load ${load()}`,
    );
    if (target === targets[0]) {
      const p95 = Number(/p95 ([\d.]+) ms/.exec(line)?.[1] ?? Number.NaN);
      const errors = Number(/errors (\d+)/.exec(line)?.[1] ?? Number.NaN);
      console.log(
        `  target p95 ≤ 50 ms with 0 errors (wrk): ${p95 <= 50 && errors === 0 ? 'MET' : 'NOT MET'}`,
      );
    }
  }
}

function startServer(dbPath: string): Promise<ChildProcess> {
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

/** The server process's user + system CPU time so far (all its threads), from /proc. */
function serverCpuMs(): number {
  try {
    const fields = readFileSync(`/proc/${server?.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return 0;
  }
}

function serverPeakRss(): string | null {
  try {
    const status = readFileSync(`/proc/${server?.pid}/status`, 'utf8');
    return status.match(/VmHWM:\s+(\d+ kB)/)?.[1] ?? null;
  } catch {
    return null;
  }
}

try {
  await main();
} finally {
  server?.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 300));
  rmSync(dir, { recursive: true, force: true });
}

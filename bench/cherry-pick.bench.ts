// The whole cherry-pick report on SQLite: 1,000,000 handed-over leads, 500 reps (a seeded workspace with
// planted bias for some reps), against the baseline of the aggregation step alone (one SQL pass that
// counts leads into rep × score band × attractive × worked cells), measured in the same run.
//
//   node --import tsx bench/cherry-pick.bench.ts            # 1,000,000 leads, 500 reps
//   node --import tsx bench/cherry-pick.bench.ts --quick    # 100,000 leads, 100 reps
//   node --import tsx bench/cherry-pick.bench.ts --old      # also the row path (before), and checks the same report
// Best of BENCH_RUNS (3) by wall time (the read runs in two threads) after a warm-up; the seeded
// workspace is cached under /tmp/gleaner-bench-cache.
import Sqlite from 'better-sqlite3';
import { sql } from 'kysely';
import { loadCherryPickRows } from '../src/analytics/cherry-pick/load.ts';
import { cherryPickReportFromStore } from '../src/analytics/cherry-pick/load-columns.ts';
import { buildCherryPickReport } from '../src/analytics/cherry-pick/report.ts';
import { seededRandom } from '../src/analytics/cherry-pick/simulate.ts';
import { type AttributeKind, defaultAttractivenessConfig } from '../src/attributes/attractiveness.ts';
import { openStore } from '../src/store/open-store.ts';
import { cachedWorkspace } from './workspace-cache.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick') || process.env.BENCH_QUICK === '1';
const leadCount = quick ? 100_000 : 1_000_000;
const repCount = quick ? 100 : 500;
const H = 3_600_000;
const start = Date.UTC(2026, 0, 5);
const now = Date.UTC(2026, 10, 1);

const titles = {
  senior: [
    'CEO',
    'Chief Financial Officer',
    'VP Sales',
    'SVP Marketing',
    'Vice President, IT',
    'Founder & CEO',
    'EVP Operations',
    'Geschäftsführer',
  ],
  other: [
    'Sales Manager',
    'Marketing Manager',
    'Director of IT',
    'Head of Growth',
    'Software Engineer',
    'Account Executive',
    'Data Analyst',
    'Office Manager',
    'Gerente de Ventas',
    'Directeur Commercial',
    'Buyer',
    'Controller',
  ],
};
const sources = ['web', 'webinar', 'partner', 'content', 'tradeshow'];

function seedWorkspace(path: string): void {
  const db = new Sqlite(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const random = seededRandom(2026);
  const insertTeam = db.prepare('insert into teams (id, name, created_at) values (?, ?, ?)');
  const insertRep = db.prepare(
    'insert into reps (id, external_id, name, team_id, created_at, updated_at) values (?, ?, ?, ?, ?, ?)',
  );
  const insertLead = db.prepare(
    `insert into leads (id, external_id, title, company, employees, source, score, handed_over_at, owner_rep_id, status, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertStats = db.prepare(
    'insert into lead_stats (lead_id, first_touch_at, last_touch_at, touches, calls, emails, updated_at) values (?, ?, ?, ?, ?, ?, ?)',
  );
  db.transaction(() => {
    for (let t = 1; t <= 25; t++) insertTeam.run(t, `Team ${t}`, start);
    for (let r = 1; r <= repCount; r++) insertRep.run(r, `rep-${r}`, `Rep ${r}`, 1 + (r % 25), start, start);
  })();
  const perBatch = 50_000;
  for (let from = 0; from < leadCount; from += perBatch) {
    db.transaction(() => {
      for (let i = from; i < Math.min(leadCount, from + perBatch); i++) {
        const rep = 1 + (i % repCount);
        const senior = random() < 0.3;
        const pool = senior ? titles.senior : titles.other;
        const title = pool[Math.floor(random() * pool.length)]!;
        const score = Math.round(100 * random());
        // Every tenth rep favours senior titles (odds ratio ~3); everyone works by score.
        const eta = -0.5 + (score - 50) / 25 + (rep % 10 === 0 && senior ? Math.log(3) : 0);
        const worked = random() < 1 / (1 + Math.exp(-eta));
        const handedOver = start + Math.floor(random() * 250) * 24 * H + 10 * H;
        insertLead.run(
          i + 1,
          `L${i + 1}`,
          title,
          `Company ${i % 50_000}`,
          Math.round(10 ** (1 + 3.5 * random())),
          sources[i % sources.length]!,
          score,
          handedOver,
          rep,
          worked ? 'working' : 'mql',
          handedOver,
          handedOver,
        );
        if (worked || random() < 0.2) {
          // Worked leads get a first touch within the hour and the attempts; a few others a late touch.
          const first = handedOver + (worked ? 0.5 : 100) * H;
          insertStats.run(
            i + 1,
            first,
            first + 48 * H,
            worked ? 8 : 1,
            worked ? 4 : 0,
            worked ? 4 : 1,
            first,
          );
        }
      }
    })();
  }
  db.close();
}

{
  // The seeded workspace is cached under /tmp by seed and size (the bench only reads it).
  const cached = await cachedWorkspace(
    `cherry-pick-seed2026-${leadCount}leads-${repCount}reps-v1`,
    async (path) => {
      (await openStore({ url: path })).close();
      seedWorkspace(path);
    },
  );
  console.log(
    cached.generated
      ? `seeded ${leadCount.toLocaleString('en')} leads, ${repCount} reps in ${(cached.generateMs / 1000).toFixed(1)} s (cached as ${cached.path})`
      : `${leadCount.toLocaleString('en')} leads, ${repCount} reps: cached workspace ${cached.path}`,
  );
  const store = await openStore({ url: cached.path });

  const cpuNow = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const time = async <T>(work: () => Promise<T>) => {
    const w = performance.now();
    const c = cpuNow();
    const value = await work();
    return { ms: performance.now() - w, cpu: cpuNow() - c, value };
  };
  // Baseline: the aggregation step alone, one SQL pass into rep × decile × (title) × worked cells.
  const aggregate = () =>
    sql<{ n: number }>`
    select l.owner_rep_id, cast(l.score / 10 as integer) as band, l.title,
           (s.first_touch_at is not null and s.first_touch_at - l.handed_over_at <= 86400000) as worked,
           count(*) as n
    from leads l left join lead_stats s on s.lead_id = l.id
    where l.handed_over_at is not null
    group by 1, 2, 3, 4`.execute(store.db);
  const build = {
    config: defaultAttractivenessConfig,
    by: 'rep' as const,
    attributes: ['seniority', 'company'] as AttributeKind[],
    now,
    conversionRate: 0.08,
    dealSize: 12_000,
  };
  // The whole report: lead columns with "worked" from the SLA engine, then strata, tests, heatmap, vine.
  const whole = async () => {
    const timings: NonNullable<Parameters<typeof cherryPickReportFromStore>[1]['timings']> = {};
    const report = await cherryPickReportFromStore(store.db, { ...build, timings });
    return { report, timings };
  };
  await aggregate(); // warm the page cache once for both
  await whole();
  const runs = Number(process.env.BENCH_RUNS ?? 3);
  let base = { ms: Number.POSITIVE_INFINITY, cpu: Number.POSITIVE_INFINITY, cells: 0 };
  let best: Awaited<ReturnType<typeof time<Awaited<ReturnType<typeof whole>>>>> | undefined;
  const runsSeen: string[] = [];
  for (let k = 0; k < runs; k++) {
    const b = await time(aggregate);
    if (b.cpu < base.cpu) base = { ms: b.ms, cpu: b.cpu, cells: b.value.rows.length };
    const r = await time(whole);
    // Reads run in two threads: the best run is the one with the least wall time (CPU is printed too).
    if (!best || r.ms < best.ms) best = r;
    runsSeen.push(`${r.ms.toFixed(0)}/${r.cpu.toFixed(0)}`);
  }
  const { report, timings } = best!.value;
  console.log(
    `aggregation step alone (baseline, SQL group-by into ${base.cells.toLocaleString('en')} cells): ${base.ms.toFixed(0)} ms wall, ${base.cpu.toFixed(0)} ms CPU (best of ${runs})`,
  );
  console.log(
    `  read lead columns + worked (SLA), ${timings.readers === 2 ? 'two threads' : 'one thread'}: ${timings.readMs?.toFixed(0)} ms wall, ${timings.readCpuMs?.toFixed(0)} ms CPU (all threads)`,
  );
  console.log(
    `  build report (strata, MH/CMH/BD, IRLS, log-rank, BH, heatmap, vine): ${timings.buildMs?.toFixed(0)} ms wall, ${timings.buildCpuMs?.toFixed(0)} ms CPU`,
  );
  console.log(
    `whole report: ${best!.ms.toFixed(0)} ms wall, ${best!.cpu.toFixed(0)} ms CPU (target ≤ 2000 ms: wall ${best!.ms <= 2000 ? 'yes' : 'NO'}, CPU ${best!.cpu <= 2000 ? 'yes' : 'NO'}) = ${(best!.ms / base.ms).toFixed(2)}× the aggregation baseline's wall, ${(best!.cpu / base.cpu).toFixed(2)}× its CPU (best of ${runs} by wall, runs wall/CPU ms: ${runsSeen.join(', ')}; load average ${(await import('node:os')).loadavg()[0]!.toFixed(1)} on 2 cores)`,
  );

  if (args.includes('--old')) {
    // The row path (loadCherryPickRows + buildCherryPickReport) for before/after, and the same report.
    const old = await time(async () =>
      buildCherryPickReport({ rows: await loadCherryPickRows(store.db, { now }), ...build }),
    );
    console.log(
      `row path (before): ${old.ms.toFixed(0)} ms wall, ${old.cpu.toFixed(0)} ms CPU = ${(old.cpu / best!.cpu).toFixed(1)}× the column path's CPU; same report: ${JSON.stringify(old.value) === JSON.stringify(report) ? 'yes' : 'NO'}`,
    );
  }
  await store.close();

  const flagged = report.assessments.filter(
    (a) => a.attribute === 'seniority' && a.verdict === 'likely_cherry_picking' && a.key !== '(all)',
  );
  const planted = flagged.filter(
    (a) => a.name.match(/Rep (\d+)$/) && Number(a.name.match(/Rep (\d+)$/)![1]) % 10 === 0,
  );
  console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  console.log(
    `verdicts: ${flagged.length} reps flagged on seniority, ${planted.length} of them among the ${repCount / 10} with planted bias`,
  );
}

// The full set of follow-up reports on a seeded workspace (100,000 leads, 2,000,000 activities, 200 reps
// by default) against the floor: one aggregate scan over the activity table, measured in the same run.
// Also how time grows with size, and PostgreSQL figures when BENCH_DATABASE_URL / TEST_DATABASE_URL is set.
//
//   node --import tsx bench/reports.bench.ts                 # sqlite 10k, 100k, 1M leads; postgres 100k, 1M
//   node --import tsx bench/reports.bench.ts --quick         # sqlite 10k, 100k; postgres 100k
//   node --import tsx bench/reports.bench.ts --sqlite 100000 --postgres 1000000
//   node --import tsx bench/reports.bench.ts --sqlite 1000000 --activities-per-lead 5
// SQLite workspaces are generated once and cached under /tmp/gleaner-bench-cache (BENCH_CACHE_DIR).
import { randomBytes } from 'node:crypto';
import Sqlite from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import { defaultReportSettings } from '../src/analytics/reports/report-types.ts';
import { runReports } from '../src/analytics/reports/run-reports.ts';
import { openStore, type Store } from '../src/store/open-store.ts';
import {
  type GeneratedWorkspace,
  generateWorkspace,
  resetIdentities,
} from '../src/testing/generate-workspace.ts';
import { cachedWorkspace } from './workspace-cache.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick') || process.env.BENCH_QUICK === '1';
const listArg = (flag: string): number[] | undefined => {
  const i = args.indexOf(flag);
  return i >= 0 ? (args[i + 1] ?? '').split(',').filter(Boolean).map(Number) : undefined;
};
const sqliteSizes = listArg('--sqlite') ?? (quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000]);
const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
const pgSizes = pgUrl ? (listArg('--postgres') ?? (quick ? [100_000] : [100_000, 1_000_000])) : [];

const start = Date.UTC(2025, 0, 1);
const end = Date.UTC(2026, 9, 1);
const now = Date.UTC(2026, 10, 1);
// --activities-per-lead N: fewer activities for the 1M-lead growth point (generating ~20M takes long).
const activitiesPerLead = listArg('--activities-per-lead')?.[0] ?? 27;
const workspace = (leads: number): GeneratedWorkspace =>
  generateWorkspace({ seed: 42, leads, reps: 200, activitiesPerLead, start, end });

const leadCols = [
  'id',
  'external_id',
  'name',
  'email',
  'company',
  'source',
  'campaign',
  'segment',
  'score',
  'handed_over_at',
  'owner_rep_id',
  'account_id',
  'status',
  'disposition_reason',
  'converted_at',
  'opportunity_id',
  'created_at',
  'updated_at',
] as const;
const statCols = [
  'lead_id',
  'first_touch_at',
  'last_touch_at',
  'touches',
  'calls',
  'emails',
  'meetings',
  'responses',
  'last_response_at',
  'effort_minutes',
  'max_gap_ms',
  'updated_at',
] as const;
const eventCols = [
  'lead_id',
  'kind',
  'from_status',
  'to_status',
  'occurred_at',
  'actor',
  'reason_code',
] as const;
const activityCols = [
  'id',
  'kind',
  'direction',
  'occurred_at',
  'duration_seconds',
  'effort_minutes',
  'rep_id',
  'lead_id',
  'account_id',
  'source',
  'source_key',
  'is_touch',
  'is_response',
  'created_at',
] as const;
const oppCols = [
  'id',
  'external_id',
  'account_id',
  'lead_id',
  'owner_rep_id',
  'amount',
  'stage',
  'opened_at',
  'closed_at',
  'won',
  'created_at',
  'updated_at',
] as const;
const pgTypes: Record<string, string> = {
  id: 'bigint',
  team_id: 'bigint',
  monthly_capacity_hours: 'double precision',
  lead_id: 'bigint',
  owner_rep_id: 'bigint',
  account_id: 'bigint',
  rep_id: 'bigint',
  opportunity_id: 'bigint',
  score: 'double precision',
  amount: 'double precision',
  effort_minutes: 'double precision',
  touches: 'int',
  calls: 'int',
  emails: 'int',
  meetings: 'int',
  responses: 'int',
  is_touch: 'int',
  is_response: 'int',
  won: 'int',
};
const pgType = (c: string) =>
  pgTypes[c] ?? (c.endsWith('_at') || c.endsWith('_ms') || c === 'duration_seconds' ? 'bigint' : 'text');

type Row = Record<string, unknown>;
type Loader = {
  table: (name: string, cols: readonly string[], rows: Row[]) => Promise<void>;
  done: () => Promise<void>;
};

/** SQLite: prepared statements inside one transaction per batch, on the store's file. */
function sqliteLoader(path: string): Loader {
  const db = new Sqlite(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const statements = new Map<string, Sqlite.Statement>();
  return {
    table: async (name, cols, rows) => {
      let stmt = statements.get(name);
      if (!stmt) {
        stmt = db.prepare(
          `insert into ${name} (${cols.join(',')}) values (${cols.map(() => '?').join(',')})`,
        );
        statements.set(name, stmt);
      }
      const s = stmt;
      db.transaction(() => {
        for (const r of rows) s.run(cols.map((c) => (r[c] === undefined ? null : r[c])));
      })();
    },
    done: async () => {
      db.exec('analyze');
      db.close();
    },
  };
}

/** PostgreSQL: one `insert … select from unnest($1::type[], …)` per column set and batch. */
async function pgLoader(store: Store): Promise<Loader> {
  const url = new URL(store.location);
  const client = new pg.Client({
    connectionString: (store as Store & { url?: string }).url ?? url.toString(),
  });
  // A failed load drops the database (with force) in clean-up: report the failure, not the disconnect.
  client.on('error', () => {});
  await client.connect();
  return {
    table: async (name, cols, rows) => {
      for (let i = 0; i < rows.length; i += 2_000) {
        const part = rows.slice(i, i + 2_000);
        const arrays = cols.map((c) => part.map((r) => (r[c] === undefined ? null : r[c])));
        const text = `insert into ${name} (${cols.join(',')}) select * from unnest(${cols
          .map((c, k) => `$${k + 1}::${pgType(c)}[]`)
          .join(',')})`;
        await client.query(text, arrays);
      }
    },
    done: async () => {
      await client.query('analyze');
      await client.end();
    },
  };
}

async function load(
  store: Store,
  loader: Loader,
  ws: GeneratedWorkspace,
): Promise<{ leads: number; activities: number }> {
  await loader.table('teams', ['id', 'name', 'created_at'], ws.teams);
  await loader.table(
    'reps',
    [
      'id',
      'external_id',
      'name',
      'email',
      'team_id',
      'time_zone',
      'monthly_capacity_hours',
      'created_at',
      'updated_at',
    ],
    ws.reps,
  );
  await loader.table(
    'accounts',
    ['id', 'external_id', 'name', 'domain', 'created_at', 'updated_at'],
    ws.accounts,
  );
  let leads = 0;
  let activities = 0;
  const interactive = process.stdout.isTTY;
  for (const b of ws.batches(5000)) {
    await loader.table('leads', leadCols, b.leads);
    await loader.table('lead_stats', statCols, b.stats);
    await loader.table('lead_events', eventCols, b.events);
    await loader.table('activities', activityCols, b.activities);
    await loader.table('opportunities', oppCols, b.opportunities);
    leads += b.leads.length;
    activities += b.activities.length;
    if (interactive) process.stdout.write(`\r  loading: ${leads} leads, ${activities} activities`);
  }
  if (interactive) process.stdout.write('\n');
  await loader.done();
  await resetIdentities(store.db);
  return { leads, activities };
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const time = async <T>(work: () => Promise<T>): Promise<{ ms: number; cpu: number; value: T }> => {
  const t = performance.now();
  const c = cpuMs();
  const value = await work();
  return { ms: performance.now() - t, cpu: cpuMs() - c, value };
};

async function measure(
  store: Store,
): Promise<{ floor: number; reports: number; floorCpu: number; reportsCpu: number }> {
  const floorQuery = () =>
    sql`select kind, count(*) as n, sum(effort_minutes) as effort, max(occurred_at) as last from activities group by kind`.execute(
      store.db,
    );
  const settings = { ...defaultReportSettings, now };
  const all = () => runReports(store.db, { settings });
  await floorQuery();
  await all(); // warm caches (page cache, business-hour calendars) once for both
  let floor = Number.POSITIVE_INFINITY;
  let reports = Number.POSITIVE_INFINITY;
  let floorCpu = Number.POSITIVE_INFINITY;
  let reportsCpu = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i += 1) {
    const f = await time(floorQuery);
    const r = await time(all);
    floor = Math.min(floor, f.ms);
    reports = Math.min(reports, r.ms);
    floorCpu = Math.min(floorCpu, f.cpu);
    reportsCpu = Math.min(reportsCpu, r.cpu);
  }
  return { floor, reports, floorCpu, reportsCpu };
}

type Figure = {
  engine: string;
  leads: number;
  activities: number;
  loadS: number;
  floorMs: number;
  reportsMs: number;
  floorCpu: number;
  reportsCpu: number;
};
const figures: Figure[] = [];

async function runOne(engine: 'sqlite' | 'postgres', leads: number): Promise<void> {
  let store: Store;
  let cleanup: () => Promise<void>;
  let loadS = 0;
  let counts: { leads: number; activities: number };
  if (engine === 'sqlite') {
    // The generated workspace is cached under /tmp by seed, size and activities per lead; the reports only read.
    const cached = await cachedWorkspace(
      `reports-seed42-${leads}leads-${activitiesPerLead}apl-200reps-v1`,
      async (path) => {
        const s = await openStore({ url: path });
        await load(s, sqliteLoader(path), workspace(leads));
        await s.close();
      },
    );
    loadS = cached.generateMs / 1000;
    store = await openStore({ url: cached.path });
    cleanup = () => store.close();
    counts = await countRows(store);
  } else {
    // A throw-away database on the server, dropped (with force) when the run ends.
    const name = `reports_bench_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: pgUrl! });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(pgUrl!);
    url.pathname = `/${name}`;
    store = await openStore({ url: url.toString() });
    const s = store;
    cleanup = async () => {
      await s.close();
      const dropper = new pg.Client({ connectionString: pgUrl! });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    };
    const loader = await pgLoader({ ...store, url: url.toString() } as Store & { url: string });
    const loaded = await time(() => load(s, loader, workspace(leads)));
    loadS = loaded.ms / 1000;
    counts = loaded.value;
  }
  try {
    const m = await measure(store);
    const f = {
      engine,
      leads: counts.leads,
      activities: counts.activities,
      loadS,
      floorMs: m.floor,
      reportsMs: m.reports,
      floorCpu: m.floorCpu,
      reportsCpu: m.reportsCpu,
    };
    figures.push(f);
    console.log(
      `${engine.padEnd(8)} ${String(f.leads).padStart(9)} leads ${String(f.activities).padStart(10)} activities  ${f.loadS > 0 ? `load ${f.loadS.toFixed(1)} s` : 'cached'}  floor ${f.floorMs.toFixed(0)} ms  all 7 reports ${f.reportsMs.toFixed(0)} ms  ratio ${(f.reportsMs / f.floorMs).toFixed(2)}×  (process CPU: floor ${f.floorCpu.toFixed(0)} ms, reports ${f.reportsCpu.toFixed(0)} ms${engine === 'sqlite' ? `, ratio ${(f.reportsCpu / f.floorCpu).toFixed(2)}×` : ''})  peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
    );
  } finally {
    await cleanup();
  }
}

async function countRows(store: Store): Promise<{ leads: number; activities: number }> {
  const r = await sql<{
    leads: number;
    activities: number;
  }>`select (select count(*) from leads) as leads, (select count(*) from activities) as activities`.execute(
    store.db,
  );
  return { leads: Number(r.rows[0]!.leads), activities: Number(r.rows[0]!.activities) };
}

console.log(
  `load average at start: ${(await import('node:os'))
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')} on ${(await import('node:os')).cpus().length} CPUs`,
);
console.log(
  `reports bench: 200 reps; activitiesPerLead ${activitiesPerLead} (27 gives ~21 activities per lead, 2.1M per 100k leads); floor = one aggregate scan over activities (group by kind); best of 3 after a warm-up${quick ? ' (quick)' : ''}`,
);
for (const n of sqliteSizes) await runOne('sqlite', n);
for (const n of pgSizes) await runOne('postgres', n);
const target = figures.find((f) => f.engine === 'sqlite' && f.leads === 100_000);
if (target)
  console.log(
    `target (sqlite, 100k leads): all reports ${target.reportsMs.toFixed(0)} ms (≤ 1000 ms: ${target.reportsMs <= 1000 ? 'yes' : 'NO'}); ${(target.reportsMs / target.floorMs).toFixed(2)}× the floor (≤ 3×: ${target.reportsMs <= 3 * target.floorMs ? 'yes' : 'NO'})`,
  );
// How time grows with size: per-lead cost and the floor ratio at each size, wall and process CPU.
for (const engine of ['sqlite', 'postgres'])
  for (const f of figures.filter((x) => x.engine === engine))
    console.log(
      `growth ${engine.padEnd(8)} ${String(f.leads).padStart(9)} leads: reports ${f.reportsMs.toFixed(0)} ms wall (${((f.reportsMs / f.leads) * 1000).toFixed(1)} µs/lead), ${f.reportsCpu.toFixed(0)} ms CPU (${((f.reportsCpu / f.leads) * 1000).toFixed(1)} µs/lead); floor ratio ${(f.reportsMs / f.floorMs).toFixed(2)}× wall${engine === 'sqlite' ? `, ${(f.reportsCpu / f.floorCpu).toFixed(2)}× CPU` : " (the server's CPU is not in process CPU)"}`,
    );
if (!pgUrl) console.log('postgres: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL)');

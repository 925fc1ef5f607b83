// Generated SQLite workspaces kept between bench runs: generating 1M leads takes minutes on a loaded
// machine, and the same seed and size always give the same file.
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';

const dir = process.env.BENCH_CACHE_DIR ?? join(tmpdir(), 'gleaner-bench-cache');

/**
 * The path of the cached workspace named `key` (seed, size and generator version in the name), generating
 * it with `generate(path)` first when it is missing. The file appears only once generation has finished
 * (written beside it, then renamed), so an interrupted run never leaves a half-built workspace behind.
 * BENCH_NO_CACHE=1 generates into a fresh copy every time.
 */
export async function cachedWorkspace(
  key: string,
  generate: (path: string) => Promise<void>,
): Promise<{ path: string; generated: boolean; generateMs: number }> {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${key}.db`);
  if (process.env.BENCH_NO_CACHE !== '1' && existsSync(path))
    return { path, generated: false, generateMs: 0 };
  const partial = `${path}.partial-${process.pid}`;
  const t0 = performance.now();
  try {
    await generate(partial);
    // Everything into the main file (no -wal beside it), so the rename moves the whole workspace.
    const db = new Sqlite(partial);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.pragma('journal_mode = DELETE');
    db.close();
    renameSync(partial, path);
  } catch (error) {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${partial}${suffix}`, { force: true });
    throw error;
  }
  return { path, generated: true, generateMs: performance.now() - t0 };
}

/** A throw-away copy of a cached workspace (a bench that writes must not change the cache). */
export function scratchCopy(path: string, into: string): string {
  const copy = join(into, 'bench.db');
  copyFileSync(path, copy);
  return copy;
}

/**
 * The server and web benches' workspace: `leads` seeded leads (seed 42, 200 reps, ~21 activities per
 * lead: 100,000 leads give ~2.1M activities), generated once with prepared statements and cached.
 */
export async function serverBenchWorkspace(
  leads: number,
): Promise<{ path: string; generated: boolean; generateMs: number }> {
  const { openStore } = await import('../src/store/open-store.ts');
  const { generateWorkspace } = await import('../src/testing/generate-workspace.ts');
  return cachedWorkspace(`server-seed42-${leads}leads-27apl-200reps-v1`, async (path) => {
    (await openStore({ url: path })).close(); // create and migrate
    const ws = generateWorkspace({
      seed: 42,
      leads,
      reps: 200,
      activitiesPerLead: 27,
      start: Date.UTC(2025, 0, 1),
      end: Date.UTC(2026, 9, 1),
    });
    const db = new Sqlite(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = OFF');
    const statements = new Map<string, { stmt: Sqlite.Statement; cols: string[] }>();
    const insert = (table: string, rows: Record<string, unknown>[]) => {
      const first = rows[0];
      if (!first) return;
      let entry = statements.get(table);
      if (!entry) {
        const cols = Object.keys(first);
        const sql = `insert into ${table} (${cols.join(',')}) values (${cols.map(() => '?').join(',')})`;
        entry = { cols, stmt: db.prepare(sql) };
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
    let done = 0;
    for (const b of ws.batches(5000)) {
      insert('leads', b.leads);
      insert('lead_stats', b.stats);
      insert('lead_events', b.events);
      insert('activities', b.activities);
      insert('opportunities', b.opportunities);
      done += b.leads.length;
      if (process.stdout.isTTY) process.stdout.write(`\r  generating: ${done} leads`);
    }
    if (process.stdout.isTTY) process.stdout.write('\n');
    db.exec('analyze');
    db.close();
  });
}

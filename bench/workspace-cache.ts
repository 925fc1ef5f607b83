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

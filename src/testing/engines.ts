import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore, type Store } from '../store/open-store.ts';

/**
 * The engines every store test runs on: SQLite (a temp file), PostgreSQL in-process (PGlite),
 * and a real PostgreSQL server when TEST_DATABASE_URL is set (CI sets it). Each `open()` gives
 * a fresh, migrated, empty store that `close()` removes again.
 */
export type TestEngine = { name: string; open: () => Promise<Store> };

export function testEngines(env: NodeJS.ProcessEnv = process.env): TestEngine[] {
  const engines: TestEngine[] = [
    { name: 'sqlite', open: openTempSqlite },
    { name: 'pglite', open: () => openStore({ url: 'pglite://memory' }) },
  ];
  const serverUrl = env.TEST_DATABASE_URL;
  if (serverUrl) engines.push({ name: 'postgres', open: () => openTempPostgres(serverUrl) });
  return engines;
}

async function openTempSqlite(): Promise<Store> {
  const dir = mkdtempSync(join(tmpdir(), 'gleaner-test-'));
  const store = await openStore({ url: join(dir, 'test.db') });
  return {
    ...store,
    close: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Creates a throw-away database on the server so test files can run in parallel. */
export async function openTempPostgres(
  serverUrl: string,
  open: typeof openStore = openStore,
): Promise<Store> {
  const name = `gleaner_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const store = await open({ url: url.toString() });
  return {
    ...store,
    close: async () => {
      await store.close();
      const dropper = new pg.Client({ connectionString: serverUrl });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}

/** A temp file path for a SQLite workspace (for CLI and crash tests that run a child process). */
export function tempDbPath(): { path: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'gleaner-ws-'));
  return { path: join(dir, 'gleaner.db'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

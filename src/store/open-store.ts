import { resolve } from 'node:path';
import Sqlite from 'better-sqlite3';
import { Kysely, PostgresDialect, type SqliteDatabase, SqliteDialect } from 'kysely';
import type { CustomTypesConfig, PoolClient } from 'pg';
import { AppError } from '../errors/app-error.ts';
import { restoreIndexes } from './deferred-indexes.ts';
import { migrateToLatest } from './migrate.ts';
import type { Database } from './schema.ts';

export type Engine = 'sqlite' | 'postgres';

export type Store = {
  db: Kysely<Database>;
  engine: Engine;
  /** Where the store lives, with any password removed (safe to print). */
  location: string;
  close: () => Promise<void>;
  /**
   * PostgreSQL server only: one pooled connection of its own, as a Kysely bound to it and as the raw
   * pg client, so a transaction run on `session.db` can stream COPY FROM STDIN on `session.client`
   * (src/store/copy-rows.ts). Release it when done.
   */
  openSession?: () => Promise<PgSession>;
};

/** One PostgreSQL connection: queries and transactions on `db` all run on `client`. */
export type PgSession = { db: Kysely<Database>; client: PoolClient; release: () => Promise<void> };

export type OpenStoreOptions = {
  /** A SQLite file path, `postgres://…`, or `pglite://memory` / `pglite:///path` for in-process PostgreSQL. */
  url: string;
  /** Run pending migrations on open (the default). */
  migrate?: boolean;
};

// BIGINT (OID 20) holds epoch milliseconds and counts: numbers, not strings, on both engines.
const INT8_OID = 20;
const parseInt8 = (value: string): number => Number(value);

export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const store = await connect(options.url);
  if (options.migrate !== false) {
    try {
      await migrateToLatest(store.db);
      // Indexes an import dropped for a bulk load and could not rebuild (it was killed).
      await restoreIndexes({ db: store.db });
    } catch (error) {
      await store.close();
      throw new AppError(
        'unavailable',
        `could not migrate the store at ${store.location}: ${String(error)}`,
        {
          cause: error,
        },
      );
    }
  }
  return store;
}

async function connect(url: string): Promise<Store> {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return connectPostgres(url);
  if (url.startsWith('pglite:')) return connectPglite(url);
  return connectSqlite(url.replace(/^sqlite:(\/\/)?/, ''));
}

// The file behind each SQLite store's db (not its transactions), for readers in other threads.
const sqliteFiles = new WeakMap<Kysely<Database>, string>();

function connectSqlite(path: string): Store {
  const sqlite = new Sqlite(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  if (!sqlite.memory) sqliteFiles.set(db, resolve(path));
  return { db, engine: 'sqlite', location: path, close: () => db.destroy() };
}

/**
 * The SQLite file `db` reads, when it is an opened SQLite store's own db: another thread can then
 * read the committed data through a connection of its own (openSqliteReader). Undefined for an
 * in-memory database, a transaction (its writes are not committed yet) and PostgreSQL.
 */
export function sqliteFileOf(db: Kysely<Database>): string | undefined {
  return sqliteFiles.get(db);
}

/** A read-only connection to a SQLite store that is open elsewhere (already migrated, in WAL mode). */
export function openSqliteReader(file: string): Kysely<Database> {
  const sqlite = new Sqlite(file, { readonly: true, fileMustExist: true });
  sqlite.pragma('busy_timeout = 5000');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
}

/**
 * Reuses prepared statements for the long multi-row INSERTs that bulk writes send again and again
 * with the same text (compiling an 800-row statement costs about as much as running it), and for the
 * long key lookups (`where key in (?, … 5,000 times)`) of each import batch. Kysely
 * runs one statement at a time on this single connection, so a cached statement is never in use
 * twice at once. Other statements are prepared as usual.
 */
function withStatementCache(sqlite: Sqlite.Database): SqliteDatabase {
  const cache = new Map<string, Sqlite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare: (text: string) => {
      if (text.length < 2000 || !(text.startsWith('insert into') || text.startsWith('select')))
        return sqlite.prepare(text);
      let statement = cache.get(text);
      if (!statement) {
        if (cache.size >= 32) cache.clear();
        statement = sqlite.prepare(text);
        cache.set(text, statement);
      }
      return statement;
    },
  };
}

async function connectPostgres(url: string): Promise<Store> {
  // Loaded only for a postgres:// URL, so SQLite runs do not carry the driver (~15 MB).
  const { default: pg } = await import('pg');
  const types = {
    getTypeParser: (oid: number, format?: 'text' | 'binary') =>
      oid === INT8_OID ? parseInt8 : pg.types.getTypeParser(oid, format),
  };
  const pool = new pg.Pool({ connectionString: url, max: 10, types: types as CustomTypesConfig });
  // An idle connection the server closes (restart, admin terminate, failover) emits 'error' on
  // the pool; without a listener that is an uncaught exception. The pool has already discarded
  // the client and the next query opens a fresh one, so there is nothing else to do.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const openSession = async (): Promise<PgSession> => {
    const client = await pool.connect();
    // Kysely sees a pool of this one client: every query and transaction of `session.db` runs on it,
    // one at a time (a query asked for while another holds the client waits for it: queries sent
    // to a busy pg client are deprecated, e.g. loadMatchIndexBase's Promise.all).
    let free: Promise<void> = Promise.resolve();
    const single = {
      connect: async () => {
        const previous = free;
        let release = () => {};
        free = new Promise<void>((resolve) => (release = resolve));
        await previous;
        // The client goes back to the pool when the session is released, not here.
        return { query: client.query.bind(client) as PoolClient['query'], release };
      },
      end: async () => {},
    };
    const session = new Kysely<Database>({ dialect: new PostgresDialect({ pool: single }) });
    // Kysely ends its pool only if `db` ran a query: the client goes back to the pool here, so a
    // session used only through `client` is released too.
    let released = false;
    const release = async () => {
      if (released) return;
      released = true;
      await session.destroy();
      client.release();
    };
    return { db: session, client, release };
  };
  return { db, engine: 'postgres', location: redact(url), close: () => db.destroy(), openSession };
}

async function connectPglite(url: string): Promise<Store> {
  const path = url.replace(/^pglite:(\/\/)?/, '');
  const dataDir = path === 'memory' || path === '' ? undefined : path;
  // Loaded only when a pglite: URL is used: PGlite's WASM module costs tens of MB of memory that
  // SQLite and server PostgreSQL runs should not pay.
  const [{ PGlite }, { PGliteDialect }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('kysely-pglite-dialect'),
  ]);
  const client = new PGlite(dataDir, { parsers: { [INT8_OID]: parseInt8 } });
  await client.waitReady;
  const db = new Kysely<Database>({ dialect: new PGliteDialect(client) });
  return { db, engine: 'postgres', location: url, close: () => db.destroy() };
}

/** Removes the password from a connection URL so it can be printed or logged. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable database URL)';
  }
}

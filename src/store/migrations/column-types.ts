import { type ColumnDefinitionBuilder, type Kysely, SqliteAdapter } from 'kysely';

// Migrations are frozen: this helper holds the only SQL that differs between engines, and
// migrations import nothing else from the application.

// biome-ignore lint/suspicious/noExplicitAny: migrations take Kysely<any> so they never depend on today's schema.
export type AnyDb = Kysely<any>;

export const isSqlite = (db: AnyDb): boolean => db.getExecutor().adapter instanceof SqliteAdapter;

/** Auto-incrementing integer primary key. */
export const idType = (db: AnyDb) => (isSqlite(db) ? 'integer' : 'bigint');
export const idColumn =
  (db: AnyDb) =>
  (col: ColumnDefinitionBuilder): ColumnDefinitionBuilder =>
    isSqlite(db) ? col.primaryKey().autoIncrement() : col.primaryKey().generatedByDefaultAsIdentity();

/** Epoch milliseconds and other 64-bit integers. */
export const bigintType = (db: AnyDb) => (isSqlite(db) ? 'integer' : 'bigint');
/** Floating point (amounts, scores). */
export const realType = (db: AnyDb) => (isSqlite(db) ? 'real' : 'double precision');

import { type AnyDb, bigintType, idColumn, idType } from './column-types.ts';

// Frozen on 2026-11-23. Never edit: add a new migration instead.
// IMAP accounts that `gleaner capture imap --account <name>` reads and the API manages. The
// password is never stored: only the name of an environment variable or a file that holds it.
export async function up(db: AnyDb): Promise<void> {
  const big = bigintType(db);
  await db.schema
    .createTable('imap_accounts')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('port', 'integer', (c) => c.notNull())
    .addColumn('tls', 'integer', (c) => c.notNull())
    .addColumn('allow_self_signed', 'integer', (c) => c.notNull())
    .addColumn('user_name', 'text', (c) => c.notNull())
    .addColumn('password_env', 'text')
    .addColumn('password_file', 'text')
    .addColumn('folders', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('imap_accounts').ifExists().execute();
}

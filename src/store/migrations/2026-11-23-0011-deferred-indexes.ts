import { type AnyDb, bigintType } from './column-types.ts';

// Frozen on 2026-11-23. Never edit: add a new migration instead.
// deferred_indexes: secondary indexes a bulk import dropped to load faster, with the statement that
// re-creates each; the import rebuilds them at its end, and opening the store rebuilds any that a
// crashed import left behind.
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('deferred_indexes')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('table_name', 'text', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('deferred_at', bigintType(db), (c) => c.notNull())
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('deferred_indexes').ifExists().execute();
}

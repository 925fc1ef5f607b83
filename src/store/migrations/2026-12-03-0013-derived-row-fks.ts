import { sql } from 'kysely';
import { type AnyDb, isSqlite } from './column-types.ts';

// Frozen on 2026-12-03. Never edit: add a new migration instead.
// Two foreign keys that guard rows only capture writes, each in the same transaction as the row it
// points to, dropped because every captured activity paid for them:
// - activity_participants.activity_id → activities: participants are inserted only with their
//   activity (src/capture/activity-store.ts, one statement after it, one transaction);
// - lead_stats.lead_id → leads: per-lead counters kept by capture for leads it just matched.
// On PostgreSQL each check is a trigger that locks the parent row: the two cost the server ~1 s CPU
// per 100,000 captured messages (about 15% of the capture's wall time). No Gleaner code deletes
// activities or leads, so their ON DELETE CASCADE never ran. The foreign keys from activities to
// reps, leads, contacts and accounts stay.
const dropped = [
  { table: 'activity_participants', column: 'activity_id', parent: 'activities' },
  { table: 'lead_stats', column: 'lead_id', parent: 'leads' },
] as const;

export async function up(db: AnyDb): Promise<void> {
  if (!isSqlite(db)) {
    for (const { table, column } of dropped)
      await sql.raw(`alter table "${table}" drop constraint if exists "${table}_${column}_fkey"`).execute(db);
    return;
  }
  // SQLite cannot drop a constraint: each table is rebuilt without it (same columns, rows and
  // indexes), in one transaction, and only while the constraint is still there.
  await db.transaction().execute(async (trx) => {
    for (const { table, parent } of dropped) {
      const fks = await sql<{ table: string }>`select "table" from pragma_foreign_key_list(${table})`.execute(
        trx,
      );
      if (!fks.rows.some((fk) => fk.table === parent)) continue;
      await rebuildSqliteTable(trx, table, (definition) =>
        definition.replace(
          new RegExp(`\\s+references\\s+"${parent}"\\s*\\("id"\\)(\\s+on delete cascade)?`, 'i'),
          '',
        ),
      );
    }
  });
}

export async function down(db: AnyDb): Promise<void> {
  if (!isSqlite(db)) {
    for (const { table, column, parent } of dropped)
      await sql
        .raw(
          `alter table "${table}" add constraint "${table}_${column}_fkey" foreign key ("${column}") references "${parent}" ("id") on delete cascade`,
        )
        .execute(db);
    return;
  }
  await db.transaction().execute(async (trx) => {
    for (const { table, column, parent } of dropped)
      await rebuildSqliteTable(trx, table, (definition) =>
        definition.replace(
          new RegExp(`("${column}" integer[^,]*?)(,|\\))`),
          `$1 references "${parent}" ("id") on delete cascade$2`,
        ),
      );
  });
}

/** Re-creates `table` from its own definition as `change` rewrites it, with its rows and indexes. */
async function rebuildSqliteTable(db: AnyDb, table: string, change: (definition: string) => string) {
  const objects = await sql<{ type: string; sql: string }>`
    select type, sql from sqlite_master where tbl_name = ${table} and sql is not null`.execute(db);
  const definition = objects.rows.find((o) => o.type === 'table')?.sql;
  if (!definition) throw new Error(`no table ${table}`);
  const next = change(definition);
  if (next === definition) throw new Error(`${table}: its definition did not change`);
  const temp = `${table}_rebuilt`;
  await sql.raw(next.replace(/^CREATE TABLE\s+"[^"]+"/i, `CREATE TABLE "${temp}"`)).execute(db);
  await sql.raw(`insert into "${temp}" select * from "${table}"`).execute(db);
  await sql.raw(`drop table "${table}"`).execute(db);
  await sql.raw(`alter table "${temp}" rename to "${table}"`).execute(db);
  for (const index of objects.rows.filter((o) => o.type === 'index')) await sql.raw(index.sql).execute(db);
}

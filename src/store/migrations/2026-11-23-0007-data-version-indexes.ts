import type { AnyDb } from './column-types.ts';

// Frozen on 2026-11-23. Never edit: add a new migration instead.
// The server's workspace data version reads max(updated_at) of these tables on every report
// request (at most once a second); the indexes make that a lookup instead of a scan.
export async function up(db: AnyDb): Promise<void> {
  await db.schema.createIndex('leads_updated_at').on('leads').column('updated_at').execute();
  await db.schema.createIndex('lead_stats_updated_at').on('lead_stats').column('updated_at').execute();
  await db.schema.createIndex('opportunities_updated_at').on('opportunities').column('updated_at').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('opportunities_updated_at').ifExists().execute();
  await db.schema.dropIndex('lead_stats_updated_at').ifExists().execute();
  await db.schema.dropIndex('leads_updated_at').ifExists().execute();
}

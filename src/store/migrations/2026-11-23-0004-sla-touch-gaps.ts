import { type AnyDb, bigintType } from './column-types.ts';

// Frozen on 2026-11-23. Never edit: add a new migration instead.
// lead_stats.max_gap_ms: the largest gap between consecutive touches of a lead, kept beside the other
// per-lead counters so the SLA's max-gap rule never needs the full touch sequence.
export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('lead_stats').addColumn('max_gap_ms', bigintType(db)).execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('lead_stats').dropColumn('max_gap_ms').execute();
}

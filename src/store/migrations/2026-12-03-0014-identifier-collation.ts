import { sql } from 'kysely';
import { type AnyDb, isSqlite } from './column-types.ts';

// Frozen on 2026-12-03. Never edit: add a new migration instead.
// On PostgreSQL, the indexed text columns that hold identifiers (external ids, e-mail addresses,
// phones in E.164, domains, statuses and kinds, source keys) compare byte by byte (collation "C"),
// as every SQLite column already does (BINARY). A database's own collation (C.UTF-8, en_US.UTF-8…)
// makes PostgreSQL call strcoll for every comparison and gives up abbreviated sort keys: building
// the e-mail index of a million leads took 1.6 s instead of 0.9 s, and keeping the external-id key
// during a million-row COPY 1.4 s instead of 0.8 s of server CPU. Equality is the same under both
// (deterministic collations); ORDER BY and lower() on these columns now behave as on SQLite (byte
// order, ASCII case). Names and free text keep the database's collation. PostgreSQL rebuilds the
// indexes on each altered column; the rows are not rewritten.
const columns: Record<string, readonly string[]> = {
  leads: ['external_id', 'email', 'phone', 'company_domain', 'status'],
  contacts: ['external_id', 'email', 'phone'],
  accounts: ['external_id', 'domain'],
  account_domains: ['domain'],
  reps: ['external_id', 'email'],
  rep_identities: ['kind', 'value'],
  opportunities: ['external_id'],
  lead_events: ['source_key', 'kind'],
  activities: ['source', 'source_key'],
};

async function setCollation(db: AnyDb, collation: '"C"' | '"default"'): Promise<void> {
  if (isSqlite(db)) return;
  for (const [table, names] of Object.entries(columns)) {
    const alters = names.map((c) => `alter column "${c}" type text collate ${collation}`).join(', ');
    await sql.raw(`alter table "${table}" ${alters}`).execute(db);
  }
}

export async function up(db: AnyDb): Promise<void> {
  await setCollation(db, '"C"');
}

export async function down(db: AnyDb): Promise<void> {
  await setCollation(db, '"default"');
}

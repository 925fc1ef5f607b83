import type { AnyDb } from './column-types.ts';

// Frozen on 2026-11-23. Never edit: add a new migration instead.
// Indexes no query reads, dropped because capture pays for each on every stored activity:
// participants by e-mail (random keys, the largest index capture wrote) and by phone (matching
// reads the in-memory index, never these columns), activities by account (no query filters
// activities by account and no account is ever deleted). Every query on activities and
// activity_participants stays indexed; src/store/query-plans.test.ts pins their plans.
export async function up(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('activity_participants_email').ifExists().execute();
  await db.schema.dropIndex('activity_participants_phone').ifExists().execute();
  await db.schema.dropIndex('activities_account').ifExists().execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.createIndex('activities_account').on('activities').column('account_id').execute();
  await db.schema
    .createIndex('activity_participants_phone')
    .on('activity_participants')
    .column('phone')
    .execute();
  await db.schema
    .createIndex('activity_participants_email')
    .on('activity_participants')
    .column('email')
    .execute();
}

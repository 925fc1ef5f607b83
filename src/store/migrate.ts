import { type Kysely, type Migration, type MigrationResultSet, Migrator } from 'kysely';
import * as m0001 from './migrations/2026-11-23-0001-initial.ts';
import * as m0004 from './migrations/2026-11-23-0004-sla-touch-gaps.ts';
import * as m0007 from './migrations/2026-11-23-0007-data-version-indexes.ts';
import * as m0010 from './migrations/2026-11-23-0010-imap-accounts.ts';
import * as m0011 from './migrations/2026-11-23-0011-deferred-indexes.ts';
import * as m0012 from './migrations/2026-11-23-0012-capture-index-trim.ts';
import * as m0013 from './migrations/2026-12-03-0013-derived-row-fks.ts';
import * as m0014 from './migrations/2026-12-03-0014-identifier-collation.ts';

/** Every migration, in order. Date-prefixed names; files are frozen once released. */
const migrations: Record<string, Migration> = {
  '2026-11-23-0001-initial': m0001,
  '2026-11-23-0004-sla-touch-gaps': m0004,
  '2026-11-23-0007-data-version-indexes': m0007,
  '2026-11-23-0010-imap-accounts': m0010,
  '2026-11-23-0011-deferred-indexes': m0011,
  '2026-11-23-0012-capture-index-trim': m0012,
  '2026-12-03-0013-derived-row-fks': m0013,
  '2026-12-03-0014-identifier-collation': m0014,
};

export async function migrateToLatest<DB>(db: Kysely<DB>): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'gleaner_migrations',
    migrationLockTableName: 'gleaner_migrations_lock',
  });
  const result = await migrator.migrateToLatest();
  if (result.error) throw result.error;
  return result;
}

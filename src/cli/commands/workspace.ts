import type { Command } from 'commander';
import { openStore } from '../../store/open-store.ts';
import { type CliContext, withStore } from '../context.ts';

export function registerWorkspaceCommands(program: Command, ctx: () => CliContext): void {
  program
    .command('init')
    .description(
      'create a workspace: a SQLite file (./gleaner.db, or --db PATH) or PostgreSQL when DATABASE_URL is set',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  gleaner init\n  gleaner --db ./acme.db init\n  DATABASE_URL=postgres://postgres@127.0.0.1/gleaner gleaner init',
    )
    .action(async () => {
      const c = ctx();
      await withStore(c, async (store) => {
        c.io.out(`workspace ready: ${store.engine} at ${store.location}`);
      });
    });

  program
    .command('migrate')
    .description('apply pending schema migrations (they also run whenever a workspace is opened)')
    .addHelpText('after', '\nExample:\n  DATABASE_URL=postgres://postgres@127.0.0.1/gleaner gleaner migrate')
    .action(async () => {
      const c = ctx();
      const store = await openStore({ url: c.config.databaseUrl, migrate: false });
      try {
        const { migrateToLatest } = await import('../../store/migrate.ts');
        const result = await migrateToLatest(store.db);
        const applied =
          result.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? [];
        c.io.out(applied.length ? `applied: ${applied.join(', ')}` : 'schema is up to date');
      } finally {
        await store.close();
      }
    });
}

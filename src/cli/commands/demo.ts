import type { Command } from 'commander';
import type { ImportKind } from '../../import/entities.ts';
import { importFile } from '../../import/import-file.ts';
import { countLeads } from '../../leads/leads.repository.ts';
import { projectPath } from '../../runtime/project-paths.ts';
import { type CliContext, withStore } from '../context.ts';
import { renderRows } from '../output.ts';
import { describeSummary } from './import.ts';

/** The sample that ships in the repository (a slice of the real Olist funnel; see samples/olist/SOURCE.md). */
export const sampleDir = projectPath('samples/olist/');

const steps: Array<{ kind: ImportKind; file: string }> = [
  { kind: 'leads', file: 'olist_marketing_qualified_leads_dataset.csv' },
  { kind: 'reps', file: 'olist_closed_deals_dataset.csv' },
  { kind: 'opportunities', file: 'olist_closed_deals_dataset.csv' },
  { kind: 'lead-events', file: 'olist_closed_deals_dataset.csv' },
];

export function registerDemoCommands(program: Command, ctx: () => CliContext): void {
  program
    .command('demo')
    .description('create the demo workspace from the shipped Olist sample and show what Gleaner sees in it')
    .addHelpText(
      'after',
      '\nExample:\n  gleaner --db ./demo.db demo\n\nRunning it again changes nothing (imports are idempotent).',
    )
    .action(async () => {
      const c = ctx();
      await withStore(c, async (store) => {
        c.io.out(`demo workspace: ${store.engine} at ${store.location}\n`);
        for (const step of steps) {
          const summary = await importFile({
            store,
            kind: step.kind,
            file: `${sampleDir}${step.file}`,
            defaultTimeZone: c.config.defaultTimeZone,
          });
          c.io.out(describeSummary({ ...summary, file: `samples/olist/${step.file}` }));
        }
        const counts = await countLeads(store.db);
        c.io.out(`\n${counts.total} leads by status`);
        c.io.out(
          renderRows(
            Object.entries(counts.byStatus).map(([status, leads]) => ({ status, leads })),
            'table',
          ),
        );
        c.io.out('leads by source');
        c.io.out(
          renderRows(
            Object.entries(counts.bySource).map(([source, leads]) => ({ source, leads })),
            'table',
          ),
        );
        const reps = await store.db
          .selectFrom('reps')
          .leftJoin('teams', 'teams.id', 'reps.team_id')
          .select(['teams.name as team', store.db.fn.countAll<number>().as('reps')])
          .groupBy('teams.name')
          .orderBy('teams.name')
          .execute();
        c.io.out('reps by team');
        c.io.out(
          renderRows(
            reps.map((r) => ({ team: r.team ?? '(none)', reps: Number(r.reps) })),
            'table',
          ),
        );
        const flagged = await store.db
          .selectFrom('leads')
          .select(['external_id', 'flags'])
          .where('flags', 'is not', null)
          .execute();
        for (const f of flagged) c.io.out(`flagged lead ${f.external_id}: ${f.flags}`);
        c.io.out('\nnext: gleaner leads list --status qualified   ·   gleaner leads show <external id>');
      });
    });
}

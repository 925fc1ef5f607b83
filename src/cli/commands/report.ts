import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { registerCherryPickReport } from './cherry-pick.ts';
import { registerFollowUpReports } from './follow-up-reports.ts';
import { registerFeedbackReport } from './routing.ts';

/** Each report capability adds its subcommands to `gleaner report`; one line each. */
const reportGroups: Array<(report: Command, ctx: () => CliContext) => void> = [
  registerFollowUpReports,
  registerCherryPickReport,
  registerFeedbackReport,
];

export function registerReportCommands(program: Command, ctx: () => CliContext): void {
  const report = program
    .command('report')
    .description(
      'reports: coverage, response, capacity, cold-vs-mql, rejected-outcomes, acceptance, gap, cherry-pick',
    )
    .addHelpText('after', '\nExample:\n  gleaner report coverage --by source --since 2026-01-01 --csv');
  for (const register of reportGroups) register(report, ctx);
}

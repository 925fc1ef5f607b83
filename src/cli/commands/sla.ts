import type { Command } from 'commander';
import { describePolicy } from '../../sla/explain.ts';
import { explainLead } from '../../sla/explain-lead.ts';
import { loadPolicyFile } from '../../sla/policy.ts';
import { loadActivePolicies, saveGlobalPolicies } from '../../sla/policy-store.ts';
import { type CliContext, withStore } from '../context.ts';
import { formatFromFlags, renderRows } from '../output.ts';
import { parseTimeFlag } from './report-flags.ts';

export function registerSlaCommands(program: Command, ctx: () => CliContext): void {
  const sla = program
    .command('sla')
    .description('SLA policies: set them from a file, show them, explain one lead')
    .addHelpText('after', '\nExample:\n  gleaner sla set sla.yaml && gleaner sla show');

  sla
    .command('set')
    .argument('<file>', 'policy file (YAML or JSON); see src/sla/default-policies.yaml')
    .description('validate a policy file and make it the workspace SLA (replaces the current policies)')
    .addHelpText('after', '\nExample:\n  gleaner sla set ./sla.yaml')
    .action(async (file: string) => {
      const c = ctx();
      const set = loadPolicyFile(file);
      await withStore(c, async (store) => {
        await saveGlobalPolicies(store.db, { set, now: Date.now() });
      });
      c.io.out(`SLA set: ${set.policies.length} policies (${set.policies.map((p) => p.name).join(', ')})`);
    });

  sla
    .command('show')
    .description('show the active policies in match order (first match wins; the last is the default)')
    .option('--json', 'JSON')
    .option('--csv', 'CSV')
    .addHelpText('after', '\nExample:\n  gleaner sla show --json')
    .action(async (flags: { json?: boolean; csv?: boolean }) => {
      const c = ctx();
      await withStore(c, async (store) => {
        const { policies, origin } = await loadActivePolicies(store.db);
        if (flags.json) {
          c.io.out(JSON.stringify({ origin, policies }, null, 2));
          return;
        }
        const rows = policies.map((p, i) => ({
          position: i + 1,
          name: p.name,
          match: p.match === undefined ? '(default)' : JSON.stringify(p.match),
          rules: describePolicy(p),
        }));
        if (!flags.csv) c.io.out(`SLA policies (${origin}):`);
        c.io.out(renderRows(rows, formatFromFlags(flags)));
      });
    });

  sla
    .command('explain')
    .argument('<lead>', 'lead id or external id')
    .option('--at <time>', 'evaluate as of this time (ISO date or time; default now)')
    .option('--json', 'JSON (the evaluation and the sentences)')
    .description("explain a lead's SLA state in words, with the timeline of its touches")
    .addHelpText('after', '\nExample:\n  gleaner sla explain 00Q5e00000AbCdE')
    .action(async (lead: string, flags: { at?: string; json?: boolean }) => {
      const c = ctx();
      const now = flags.at ? parseTimeFlag(flags.at, '--at') : Date.now();
      await withStore(c, async (store) => {
        const result = await explainLead(store.db, { lead, now });
        c.io.out(flags.json ? JSON.stringify(result, null, 2) : result.lines.join('\n'));
      });
    });
}

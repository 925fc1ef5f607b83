import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import {
  loadAttractivenessConfig,
  parseAttractivenessConfig,
  saveAttractivenessConfig,
} from '../../attributes/attractiveness.ts';
import { AppError, badInput } from '../../errors/app-error.ts';
import { type CliContext, withStore } from '../context.ts';

export function registerAttractivenessCommands(program: Command, ctx: () => CliContext): void {
  const group = program
    .command('attractiveness')
    .description(
      'what makes a lead look attractive to reps (titles, company size/brands, industries), for cherry-pick detection',
    )
    .addHelpText(
      'after',
      '\nExample:\n  gleaner attractiveness set attractiveness.yaml && gleaner attractiveness show',
    );

  group
    .command('show')
    .description('print the workspace attractiveness config (defaults until one is set) as JSON')
    .addHelpText('after', '\nExample:\n  gleaner attractiveness show')
    .action(async () => {
      const c = ctx();
      const config = await withStore(c, (store) => loadAttractivenessConfig(store.db));
      c.io.out(`${JSON.stringify(config, null, 2)}\n`);
    });

  group
    .command('set')
    .argument('<file>', 'YAML or JSON file with seniority / company / industry sections')
    .description('validate and store the attractiveness config')
    .addHelpText(
      'after',
      `\nExample file:\n  seniority: { attractive: [c_level, vp] }\n  company:\n    tiers: [enterprise]\n    brands: { names: [Acme Corp, Globex], domains: [initech.com] }\n  industry: { favoured: [Financial Services, Software] }\n\nExample:\n  gleaner attractiveness set attractiveness.yaml`,
    )
    .action(async (file: string) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        throw new AppError('bad_input', `cannot read ${file}: ${(error as Error).message}`, {
          location: { file },
        });
      }
      let value: unknown;
      try {
        value = parseYaml(text);
      } catch (error) {
        throw badInput(`not valid YAML/JSON: ${(error as Error).message}`, { file });
      }
      const parsed = parseAttractivenessConfig(value ?? {}, file);
      const c = ctx();
      const config = await withStore(c, (store) =>
        saveAttractivenessConfig(store.db, { config: parsed, now: Date.now() }),
      );
      c.io.out(
        `attractiveness config saved: attractive titles ${config.seniority.attractive.join(', ')}; company tiers ${config.company.tiers.join(', ')}, ${config.company.brands.names.length} brand names, ${config.company.brands.domains.length} brand domains; ${config.industry.favoured.length} favoured industries`,
      );
    });
}

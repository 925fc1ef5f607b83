import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { badInput } from '../../errors/app-error.ts';
import { findLeadId } from '../../routing/queue.ts';
import { handOverCrossingLeads, MQL_BAR_KEY, MqlBar, MqlBarSetting } from '../../scoring/nurture.ts';
import { ModelKind } from '../../scoring/predictive.ts';
import { loadScoringRules, recomputeScores, saveScoringRules } from '../../scoring/recompute.ts';
import { parseScoringRules } from '../../scoring/rules.ts';
import { explainLead, trainWorkspaceModel } from '../../scoring/train.ts';
import { readSetting, writeSetting } from '../../settings/workspace-settings.ts';
import { type CliContext, withStore } from '../context.ts';
import { parseFlag } from '../flags.ts';
import { formatFromFlags, renderRows } from '../output.ts';

const readText = (file: string): string => {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw badInput(`cannot read ${file}: ${(error as Error).message}`, { file });
  }
};

const finite = z.coerce.number().refine(Number.isFinite, 'must be a number');

export function registerScoringCommands(program: Command, ctx: () => CliContext): void {
  const score = program
    .command('score')
    .description(
      'lead scoring: fit + behaviour rules, the MQL bar (nurture pool), and a predictive conversion model',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  gleaner score rules set rules.yaml\n  gleaner score bar set --threshold 50 --event demo_request\n  gleaner score recompute\n  gleaner score train --model gbt\n  gleaner score explain L-1042',
    );

  const rules = score.command('rules').description('the workspace scoring rules (YAML or JSON)');
  rules
    .command('set')
    .argument('<file>', 'rules file (YAML or JSON)')
    .description('validate and store the scoring rules (errors name the line and field)')
    .addHelpText('after', '\nExample:\n  gleaner score rules set test-fixtures/scoring/rules.example.yaml')
    .action(async (file: string) => {
      const c = ctx();
      const parsed = parseScoringRules(readText(file), file);
      await withStore(c, async (store) => {
        await saveScoringRules(store.db, { rules: parsed, now: Date.now() });
      });
      c.io.out(
        `scoring rules stored: ${parsed.fit.length} fit group(s), ${parsed.behaviour.length} behaviour group(s); run \`gleaner score recompute\``,
      );
    });
  rules
    .command('show')
    .description('print the stored scoring rules as JSON')
    .addHelpText('after', '\nExample:\n  gleaner score rules show')
    .action(async () => {
      const c = ctx();
      await withStore(c, async (store) => {
        const stored = await loadScoringRules(store.db);
        c.io.out(stored ? JSON.stringify(stored, null, 2) : '(no scoring rules yet)');
      });
    });

  const bar = score
    .command('bar')
    .description('the MQL bar: leads below it stay in nurture, invisible to reps');
  bar
    .command('set')
    .description(
      'set the MQL bar: a score threshold, a minimum fit, and/or events that hand a lead over at once',
    )
    .option('--threshold <score>', 'hand over when score ≥ this')
    .option('--min-fit <points>', 'and fit score ≥ this')
    .option('--event <kind...>', 'lead event kinds that hand over regardless of score (e.g. demo_request)')
    .addHelpText(
      'after',
      '\nExample:\n  gleaner score bar set --threshold 50 --min-fit 10 --event demo_request',
    )
    .action(async (flags: { threshold?: string; minFit?: string; event?: string[] }) => {
      const c = ctx();
      const value = MqlBar.parse({
        threshold: flags.threshold === undefined ? null : parseFlag(finite, flags.threshold, 'threshold'),
        ...(flags.minFit !== undefined ? { minFit: parseFlag(finite, flags.minFit, 'min-fit') } : {}),
        events: flags.event ?? [],
      });
      await withStore(c, async (store) => {
        await writeSetting(store.db, { key: MQL_BAR_KEY, value, now: Date.now() });
      });
      c.io.out(`MQL bar set: ${JSON.stringify(value)}`);
    });
  bar
    .command('show')
    .description('print the MQL bar')
    .addHelpText('after', '\nExample:\n  gleaner score bar show')
    .action(async () => {
      const c = ctx();
      await withStore(c, async (store) => {
        c.io.out(JSON.stringify(await readSetting(store.db, MQL_BAR_KEY, MqlBarSetting)));
      });
    });

  score
    .command('recompute')
    .description(
      'recompute fit, behaviour and score of every lead (batched), then hand over leads that cross the MQL bar',
    )
    .option('--batch-size <n>', 'leads per batch', '500')
    .addHelpText('after', '\nExample:\n  gleaner score recompute --batch-size 1000')
    .action(async (flags: { batchSize: string }) => {
      const c = ctx();
      const batchSize = parseFlag(z.coerce.number().int().positive(), flags.batchSize, 'batch-size');
      await withStore(c, async (store) => {
        const now = Date.now();
        const result = await recomputeScores(store.db, {
          now,
          batchSize,
          onProgress: (done) => {
            if (c.config.interactive) process.stderr.write(`\rscored ${done} leads`);
          },
        });
        if (c.config.interactive) process.stderr.write('\n');
        const handed = await handOverCrossingLeads(store.db, { now });
        c.io.out(
          `scored ${result.leads} leads (${result.changed} changed); handed over ${handed.handedOver.length} of ${handed.checked} nurture leads`,
        );
      });
    });

  score
    .command('train')
    .description(
      'train a conversion model on properly-worked leads (SLA met or converted) and store it as a new version with its metrics',
    )
    .option('--model <kind>', 'logistic (L2) or gbt (gradient-boosted trees)', 'logistic')
    .option('--seed <n>', 'seed for the hold-out split and the trees', '42')
    .option('--maturity-days <n>', 'open leads handed over fewer days ago are not yet outcomes', '30')
    .option('--json', 'print the metrics as JSON')
    .addHelpText('after', '\nExample:\n  gleaner score train --model gbt --seed 7 --json')
    .action(async (flags: { model: string; seed: string; maturityDays: string; json?: boolean }) => {
      const c = ctx();
      const kind = ModelKind.safeParse(flags.model);
      if (!kind.success) throw badInput('--model must be logistic or gbt', { field: 'model' });
      const seed = parseFlag(z.coerce.number().int(), flags.seed, 'seed');
      const maturityDays = parseFlag(z.coerce.number().nonnegative(), flags.maturityDays, 'maturity-days');
      await withStore(c, async (store) => {
        const { version, report } = await trainWorkspaceModel(store.db, {
          kind: kind.data,
          seed,
          now: Date.now(),
          maturityDays,
        });
        if (flags.json) {
          c.io.out(JSON.stringify({ version, ...report }, null, 2));
          return;
        }
        const f = (x: number | undefined) => (x === undefined ? 'n/a' : x.toFixed(4));
        c.io.out(
          `model version ${version} (${report.kind}, seed ${report.seed}), hold-out ${report.holdout} properly-worked leads`,
        );
        c.io.out(
          `  trained on properly worked (${report.trainedOn.properlyWorked}): AUC ${f(report.properlyWorked.auc)}  log loss ${f(report.properlyWorked.logLoss)}`,
        );
        c.io.out(
          `  trained on all leads      (${report.trainedOn.all}): AUC ${f(report.all?.auc)}  log loss ${f(report.all?.logLoss)}`,
        );
        c.io.out('calibration (hold-out):');
        c.io.out(
          renderRows(
            report.properlyWorked.calibration
              .filter((b) => b.count > 0)
              .map((b) => ({
                bin: `${b.from.toFixed(1)}–${b.to.toFixed(1)}`,
                leads: b.count,
                mean_predicted: b.meanPredicted.toFixed(3),
                observed: b.observedRate.toFixed(3),
              })),
            'table',
          ),
        );
      });
    });

  score
    .command('explain')
    .argument('<lead>', 'lead external id or numeric id')
    .description("the active model's prediction for a lead and its top contributions (log-odds per column)")
    .option('--top <n>', 'how many contributions', '10')
    .option('--json', 'JSON output')
    .option('--csv', 'CSV output')
    .addHelpText('after', '\nExample:\n  gleaner score explain L-1042 --top 5')
    .action(async (lead: string, flags: { top: string; json?: boolean; csv?: boolean }) => {
      const c = ctx();
      const top = parseFlag(z.coerce.number().int().positive(), flags.top, 'top');
      await withStore(c, async (store) => {
        const leadId = await findLeadId(store.db, lead);
        const result = await explainLead(store.db, { leadId, top });
        const format = formatFromFlags(flags);
        if (format === 'json') {
          c.io.out(JSON.stringify(result, null, 2));
          return;
        }
        if (format === 'table') {
          c.io.out(
            `model v${result.version} (${result.kind}): conversion probability ${(result.probability * 100).toFixed(1)} %`,
          );
        }
        c.io.out(renderRows(result.contributions, format));
      });
    });
}

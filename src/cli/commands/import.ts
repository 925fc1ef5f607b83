import { readFileSync } from 'node:fs';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { z } from 'zod';
import { AppError, badInput, formatLocation } from '../../errors/app-error.ts';
import { ImportKind, importKinds } from '../../import/entities.ts';
import { type ImportProgress, type ImportSummary, importFile } from '../../import/import-file.ts';
import { parseMappingFile } from '../../import/mapping-file.ts';
import { rematch } from '../../match/rematch.ts';
import { type CliContext, withStore } from '../context.ts';
import type { Writer } from '../output.ts';

const Flags = z.object({
  preset: z.string().min(1).default('auto'),
  map: z.string().min(1).optional(),
  tz: z.string().min(1).optional(),
  dryRun: z.boolean().optional(),
  json: z.boolean().optional(),
  batchSize: z.coerce.number().int().min(1).max(100_000).optional(),
});

export function registerImportCommands(program: Command, ctx: () => CliContext): void {
  program
    .command('import')
    .description('import a CRM export (CSV): leads, reps, accounts, contacts, opportunities or lead-events')
    .argument('<kind>', importKinds.join('|'))
    .argument('<file>', 'the CSV file')
    .option('--preset <name>', 'a shipped preset, or auto to recognise it from the header', 'auto')
    .option('--map <mapping.json>', 'your own mapping file (see src/import/presets/ for examples)')
    .option('--tz <zone>', 'time zone for dates without one, e.g. Europe/Berlin')
    .option('--dry-run', 'read and check everything, write nothing')
    .option('--batch-size <n>', 'rows per transaction')
    .option('--json', 'print the summary as JSON')
    .addHelpText(
      'after',
      `
Re-running an import is safe: rows are matched by the CRM's id; unchanged rows are counted, changed
rows updated, nothing duplicated. Bad rows go to FILE.rejects.csv with their line and reason.

Examples:
  gleaner import leads olist_marketing_qualified_leads_dataset.csv
  gleaner import reps olist_closed_deals_dataset.csv --preset olist-deals
  gleaner import leads export.csv --map my-crm.json --tz America/New_York --dry-run`,
    )
    .action(async (kindArg: string, file: string, raw: Record<string, unknown>) => {
      const c = ctx();
      const kind = ImportKind.safeParse(kindArg);
      if (!kind.success) throw badInput(`unknown kind "${kindArg}"; use one of ${importKinds.join(', ')}`);
      const flags = Flags.safeParse(raw);
      if (!flags.success) throw badInput(`invalid option: ${flags.error.issues[0]?.message ?? ''}`);
      const { preset, map, tz, dryRun, json, batchSize } = flags.data;
      const mapping = map ? parseMappingFile(readMapping(map), map) : undefined;
      const progress = progressReporter({ io: c.io, interactive: c.config.interactive && !json });
      const summary = await withStore(c, async (store) => {
        const imported = await importFile({
          store,
          kind: kind.data,
          file,
          preset,
          ...(mapping ? { mapping } : {}),
          ...(tz ? { timeZone: tz } : {}),
          ...(batchSize ? { batchSize } : {}),
          defaultTimeZone: c.config.defaultTimeZone,
          dryRun: Boolean(dryRun),
          onProgress: progress.update,
        });
        // New or changed people and accounts may explain earlier unmatched activity.
        const rematched = rematchesAfter(imported) ? await rematch(store.db) : undefined;
        return { ...imported, ...(rematched ? { rematched } : {}) };
      }).finally(progress.stop);
      if (json) c.io.out(JSON.stringify(summary, null, 2));
      else {
        c.io.out(describeSummary(summary));
        if (summary.rematched?.activitiesLinked) {
          c.io.out(
            `rematched: ${summary.rematched.activitiesLinked} earlier activities now linked to a lead or contact`,
          );
        }
      }
    });
}

function readMapping(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new AppError('bad_input', `cannot read mapping file: ${(error as Error).message}`, {
      location: { file: path },
    });
  }
}

/** A progress bar on a terminal; otherwise a plain line about every 10 % (logs stay readable). */
function progressReporter(options: { io: Writer; interactive: boolean }): {
  update: (p: ImportProgress) => void;
  stop: () => void;
} {
  if (options.interactive) {
    const bar = new cliProgress.SingleBar(
      {
        format: 'importing [{bar}] {percentage}% | {rows} rows | {eta_formatted} left',
        stream: process.stderr,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    let indexing = false;
    return {
      update: (p) => {
        if (p.indexes) {
          // The rows are stored: the bar ends and one line, rewritten in place, counts the builds.
          if (started && !indexing) {
            bar.update(p.totalBytes, { rows: p.rows });
            bar.stop();
          }
          indexing = true;
          process.stderr.write(
            `\r\x1b[2K${indexesLine(p.indexes)}${p.indexes.built === p.indexes.total ? '\n' : ''}`,
          );
          return;
        }
        if (!started) {
          bar.start(p.totalBytes, 0, { rows: 0 });
          started = true;
        }
        bar.update(p.bytes, { rows: p.rows });
      },
      stop: () => {
        if (started && !indexing) bar.stop();
      },
    };
  }
  let nextShare = 0.1;
  return {
    update: (p) => {
      if (p.indexes) {
        options.io.err(`import: ${indexesLine(p.indexes)}`);
        return;
      }
      const share = p.totalBytes > 0 ? p.bytes / p.totalBytes : 1;
      if (share >= nextShare && share < 1) {
        options.io.err(`import: ${Math.floor(share * 100)}% (${p.rows} rows)`);
        while (nextShare <= share) nextShare += 0.1;
      }
    },
    stop: () => {},
  };
}

/** The index builds after a large import's rows are stored (it dropped them for the load). */
const indexesLine = ({ built, total }: { built: number; total: number }): string =>
  built === 0
    ? `all rows stored; building ${total} indexes again (dropped for the bulk load)`
    : `built ${built} of ${total} indexes`;

export function describeSummary(s: ImportSummary): string {
  const how = { named: 'preset', detected: 'detected preset', 'mapping-file': 'mapping' }[s.presetChosen];
  const lines = [
    `${s.dryRun ? 'dry run: ' : ''}imported ${s.kind} from ${s.file} (${how} ${s.preset})`,
    `read ${s.read}, inserted ${s.inserted}, updated ${s.updated}, unchanged ${s.unchanged}, rejected ${s.rejected}` +
      (s.skipped ? `, skipped ${s.skipped}` : '') +
      ` in ${s.seconds.toFixed(1)} s`,
  ];
  if (s.leadsUpdated) lines.push(`leads qualified, linked or flagged: ${s.leadsUpdated}`);
  if (s.unresolvedReferences)
    lines.push(`references to unknown reps/accounts/contacts left empty: ${s.unresolvedReferences}`);
  for (const r of s.rejects.slice(0, 20)) {
    lines.push(`  rejected ${formatLocation({ file: s.file, line: r.line, field: r.field })}: ${r.reason}`);
  }
  if (s.rejected > 20) lines.push(`  … and ${s.rejected - 20} more`);
  if (s.rejectsFile) lines.push(`rejected rows with reasons: ${s.rejectsFile}`);
  return lines.join('\n');
}

const rematchKinds: ReadonlySet<string> = new Set(['leads', 'contacts', 'accounts']);

/** Rematch only when people or accounts were written: it scans the unmatched participants. */
function rematchesAfter(summary: ImportSummary): boolean {
  return !summary.dryRun && rematchKinds.has(summary.kind) && summary.inserted + summary.updated > 0;
}

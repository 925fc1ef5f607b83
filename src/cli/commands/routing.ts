import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { badInput } from '../../errors/app-error.ts';
import { feedbackReport } from '../../lifecycle/feedback.ts';
import { REASON_CODES_KEY, ReasonCodes, ReasonCodesSetting } from '../../lifecycle/reason-codes.ts';
import { repCapacities } from '../../routing/capacity.ts';
import {
  actOnQueueLead,
  findLeadId,
  findRep,
  openNextLead,
  QUEUE_KEY,
  QueueSettings,
  QueueSettingsSetting,
  repQueue,
  skipLead,
} from '../../routing/queue.ts';
import { routeNewLeads } from '../../routing/route.ts';
import { ROUTING_KEY, RoutingRules, RoutingRulesSetting } from '../../routing/rules.ts';
import { readSetting, writeSetting } from '../../settings/workspace-settings.ts';
import { type CliContext, withStore } from '../context.ts';
import { parseFlag } from '../flags.ts';
import { formatFromFlags, isoTime, renderRows } from '../output.ts';

/** Reads a YAML/JSON settings file through its schema; errors name the file, line and field. */
function readSettingsFile<T extends z.ZodType>(file: string, schema: T): z.infer<T> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw badInput(`cannot read ${file}: ${(error as Error).message}`, { file });
  }
  const doc = parseDocument(text);
  if (doc.errors[0]) throw badInput(`not valid YAML/JSON: ${doc.errors[0].message.split('\n')[0]}`, { file });
  const parsed = schema.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.map(String);
    const node = doc.getIn(issue.path as (string | number)[], true) as
      | { range?: [number, number, number] }
      | undefined;
    const line = node?.range ? text.slice(0, node.range[0]).split('\n').length : undefined;
    throw badInput(issue.message, {
      file,
      ...(line ? { line } : {}),
      ...(path.length ? { field: path.join('.') } : {}),
    });
  }
  return parsed.data;
}

type ListFlags = { json?: boolean; csv?: boolean };

export function registerRoutingCommands(program: Command, ctx: () => CliContext): void {
  const route = program
    .command('route')
    .description(
      'assign new MQLs (never the nurture pool): account owner, then territory, then round-robin weighted by free capacity',
    )
    .option('--limit <n>', 'route at most this many leads')
    .option('--json', 'JSON output')
    .option('--csv', 'CSV output')
    .addHelpText(
      'after',
      '\nExamples:\n  gleaner route\n  gleaner route rules set routing.yaml\n  gleaner route capacity --csv',
    )
    .action(async (flags: ListFlags & { limit?: string }) => {
      const c = ctx();
      const limit =
        flags.limit === undefined
          ? undefined
          : parseFlag(z.coerce.number().int().positive(), flags.limit, 'limit');
      await withStore(c, async (store) => {
        const result = await routeNewLeads(store.db, { now: Date.now(), ...(limit ? { limit } : {}) });
        const format = formatFromFlags(flags);
        if (format === 'json') {
          c.io.out(JSON.stringify(result, null, 2));
          return;
        }
        c.io.out(
          renderRows(
            result.assigned.map((a) => ({ lead: a.externalId, rep: a.rep, reason: a.reason, rule: a.rule })),
            format,
            ['lead', 'rep', 'reason', 'rule'],
          ),
        );
        if (format === 'table') {
          c.io.out(`assigned ${result.assigned.length} MQL(s)`);
          if (result.overload) c.io.err(`warning: ${result.overload.message}`);
        }
      });
    });

  route
    .command('rules')
    .description('routing rules: follow-up share, expected effort per lead, territories, account ownership')
    .command('set')
    .argument('<file>', 'YAML or JSON file')
    .description('validate and store the routing rules')
    .addHelpText(
      'after',
      '\nExample file:\n  followUpShare: 0.5\n  expectedEffortMinutes: 60\n  territories:\n    - { name: dach, country: [DE, AT, CH], reps: [rep-anna, rep-jonas] }\n\nExample:\n  gleaner route rules set routing.yaml',
    )
    .action(async (file: string) => {
      const c = ctx();
      const rules = readSettingsFile(file, RoutingRules);
      await withStore(c, async (store) => {
        await writeSetting(store.db, { key: ROUTING_KEY, value: rules, now: Date.now() });
      });
      c.io.out(`routing rules stored: ${rules.territories.length} territories`);
    });

  route
    .command('capacity')
    .description('free capacity per rep: monthly hours × follow-up share − effort of open assigned leads')
    .option('--json', 'JSON output')
    .option('--csv', 'CSV output')
    .addHelpText('after', '\nExample:\n  gleaner route capacity --json')
    .action(async (flags: ListFlags) => {
      const c = ctx();
      await withStore(c, async (store) => {
        const rules = await readSetting(store.db, ROUTING_KEY, RoutingRulesSetting);
        const rows = (await repCapacities(store.db, rules)).map((r) => ({
          rep: r.externalId,
          name: r.name,
          active: r.active,
          open_leads: r.openLeads,
          available_h: Math.round(r.availableMinutes / 6) / 10,
          committed_h: Math.round(r.committedMinutes / 6) / 10,
          free_h: Math.round(r.freeMinutes / 6) / 10,
        }));
        c.io.out(renderRows(rows, formatFromFlags(flags)));
      });
    });

  program
    .command('queue')
    .argument('<rep>', 'rep external id or numeric id')
    .description(
      "a rep's work queue: open leads by SLA deadline, then score (nurture leads never appear). Acting on a lead:\n" +
        '  --next                        open the top lead (in blind mode the only way to see its company and title)\n' +
        '  --skip LEAD --reason CODE     skip a lead (recorded; skips are cherry-pick evidence)\n' +
        '  --accept LEAD                 accept a handed-over lead\n' +
        '  --reject LEAD --reason CODE   reject before any touch (procedural/clerical/definitional reason)\n' +
        '  --disqualify LEAD --reason CODE  disqualify after contact',
    )
    .option('--next', 'open the lead on top of the queue')
    .option('--skip <lead>', 'skip this lead (needs --reason)')
    .option('--accept <lead>', 'accept this lead')
    .option('--reject <lead>', 'reject this lead (needs --reason)')
    .option('--disqualify <lead>', 'disqualify this lead (needs --reason)')
    .option('--reason <code>', 'reason code (see `gleaner reasons list`)')
    .option('--note <text>', 'free-text note kept with the event')
    .option('--json', 'JSON output')
    .option('--csv', 'CSV output')
    .addHelpText(
      'after',
      '\nExamples:\n  gleaner queue rep-anna\n  gleaner queue rep-anna --next\n  gleaner queue rep-anna --skip L-17 --reason time_zone\n  gleaner queue rep-anna --reject L-17 --reason wrong_territory',
    )
    .action(
      async (
        rep: string,
        flags: ListFlags & {
          next?: boolean;
          skip?: string;
          accept?: string;
          reject?: string;
          disqualify?: string;
          reason?: string;
          note?: string;
        },
      ) => {
        const c = ctx();
        const actions = [flags.next, flags.skip, flags.accept, flags.reject, flags.disqualify].filter(
          Boolean,
        );
        if (actions.length > 1)
          throw badInput('give one of --next, --skip, --accept, --reject, --disqualify');
        await withStore(c, async (store) => {
          const r = await findRep(store.db, rep);
          const now = Date.now();
          if (flags.skip) {
            const leadId = await findLeadId(store.db, flags.skip);
            const s = await skipLead(store.db, {
              repId: r.id,
              leadId,
              reasonCode: flags.reason,
              now,
              ...(flags.note ? { note: flags.note } : {}),
            });
            c.io.out(`skipped lead ${flags.skip} (position ${s.position}) with reason ${flags.reason}`);
            return;
          }
          for (const action of ['accept', 'reject', 'disqualify'] as const) {
            const lead = flags[action];
            if (!lead) continue;
            const leadId = await findLeadId(store.db, lead);
            const t = await actOnQueueLead(store.db, {
              repId: r.id,
              leadId,
              action,
              reasonCode: flags.reason,
              note: flags.note,
              now,
            });
            c.io.out(
              `lead ${lead}: ${t.toStatus}${t.reasonCode ? ` (${t.reasonCode}${t.category ? `, ${t.category}` : ''})` : ''}`,
            );
            return;
          }
          const format = formatFromFlags(flags);
          if (flags.next) {
            const item = await openNextLead(store.db, { repId: r.id, now });
            if (!item) c.io.out('(queue is empty)');
            else
              c.io.out(
                format === 'json'
                  ? JSON.stringify(item, null, 2)
                  : renderRows([{ ...item, deadline: isoTime(item.deadline) }], format),
              );
            return;
          }
          const { items, settings } = await repQueue(store.db, { repId: r.id, now });
          if (format === 'json') {
            c.io.out(JSON.stringify({ rep: r.external_id, blind: settings.blind, items }, null, 2));
            return;
          }
          c.io.out(
            renderRows(
              items.map((i) => ({
                pos: i.position,
                lead: i.externalId,
                name: i.name,
                company: i.hidden ? '(blind)' : i.company,
                title: i.hidden ? '(blind)' : i.title,
                status: i.status,
                score: i.score,
                touches: i.touches,
                deadline: isoTime(i.deadline),
                overdue: i.overdue ? 'yes' : '',
              })),
              format,
              [
                'pos',
                'lead',
                'name',
                'company',
                'title',
                'status',
                'score',
                'touches',
                'deadline',
                'overdue',
              ],
            ),
          );
        });
      },
    );

  const queueSettings = program
    .command('queue-settings')
    .description('work-queue settings: blind mode, interim SLA deadlines');
  queueSettings
    .command('set')
    .option('--blind <on|off>', 'blind mode: company and title only once the rep opens the next lead')
    .option('--first-touch-hours <h>', 'first touch due this many hours after hand-over')
    .option('--max-gap-days <d>', 'next touch due at most this many days after the last')
    .addHelpText('after', '\nExample:\n  gleaner queue-settings set --blind on')
    .action(async (flags: { blind?: string; firstTouchHours?: string; maxGapDays?: string }) => {
      const c = ctx();
      await withStore(c, async (store) => {
        const current = await readSetting(store.db, QUEUE_KEY, QueueSettingsSetting);
        const next = QueueSettings.parse({
          ...current,
          ...(flags.blind !== undefined
            ? { blind: parseFlag(z.enum(['on', 'off']), flags.blind, 'blind') === 'on' }
            : {}),
          ...(flags.firstTouchHours !== undefined
            ? {
                firstTouchHours: parseFlag(
                  z.coerce.number().positive(),
                  flags.firstTouchHours,
                  'first-touch-hours',
                ),
              }
            : {}),
          ...(flags.maxGapDays !== undefined
            ? { maxGapDays: parseFlag(z.coerce.number().positive(), flags.maxGapDays, 'max-gap-days') }
            : {}),
        });
        await writeSetting(store.db, { key: QUEUE_KEY, value: next, now: Date.now() });
        c.io.out(`queue settings: ${JSON.stringify(next)}`);
      });
    });

  const reasons = program
    .command('reasons')
    .description('reason codes (workspace data) for rejection, disqualification and skips');
  reasons
    .command('list')
    .option('--json', 'JSON output')
    .option('--csv', 'CSV output')
    .addHelpText('after', '\nExample:\n  gleaner reasons list --csv')
    .action(async (flags: ListFlags) => {
      const c = ctx();
      await withStore(c, async (store) => {
        const codes = await readSetting(store.db, REASON_CODES_KEY, ReasonCodesSetting);
        const rows = [
          ...codes.rejection.map((r) => ({
            use: 'rejection',
            code: r.code,
            category: r.category,
            label: r.label,
          })),
          ...codes.disqualification.map((r) => ({
            use: 'disqualification',
            code: r.code,
            category: '',
            label: r.label,
          })),
          ...codes.skip.map((r) => ({ use: 'skip', code: r.code, category: '', label: r.label })),
        ];
        c.io.out(renderRows(rows, formatFromFlags(flags)));
      });
    });
  reasons
    .command('set')
    .argument(
      '<file>',
      'YAML or JSON: rejection (code, label, category), disqualification and skip (code, label)',
    )
    .addHelpText('after', '\nExample:\n  gleaner reasons set reasons.yaml')
    .action(async (file: string) => {
      const c = ctx();
      const codes = readSettingsFile(file, ReasonCodes);
      await withStore(c, async (store) => {
        await writeSetting(store.db, { key: REASON_CODES_KEY, value: codes, now: Date.now() });
      });
      c.io.out(
        `reason codes stored: ${codes.rejection.length} rejection, ${codes.disqualification.length} disqualification, ${codes.skip.length} skip`,
      );
    });
}

/** `gleaner report feedback`: rejection and disqualification reasons per campaign and source. */
export function registerFeedbackReport(report: Command, ctx: () => CliContext): void {
  report
    .command('feedback')
    .description(
      'feedback to marketing: rejection/disqualification reason codes per campaign and source, and how many converted later',
    )
    .option('--since <date>', 'events on or after this date (YYYY-MM-DD)')
    .option('--json', 'JSON output')
    .option('--csv', 'CSV output')
    .addHelpText('after', '\nExample:\n  gleaner report feedback --since 2026-01-01 --csv')
    .action(async (flags: ListFlags & { since?: string }) => {
      const c = ctx();
      const since =
        flags.since === undefined
          ? undefined
          : parseFlag(
              z.iso.date().transform((d) => Date.parse(`${d}T00:00:00Z`)),
              flags.since,
              'since',
            );
      await withStore(c, async (store) => {
        const rows = await feedbackReport(store.db, since === undefined ? {} : { since });
        c.io.out(renderRows(rows, formatFromFlags(flags)));
      });
    });
}

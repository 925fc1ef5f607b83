import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { type CaptureEvent, type CaptureSummary, runCapture } from '../../capture/capture-run.ts';
import { effortSummary, listActivities } from '../../capture/list-activities.ts';
import { captureMail } from '../../capture/mail-capture.ts';
import type { MailFormat } from '../../capture/mail-files.ts';
import { badInput } from '../../errors/app-error.ts';
import { rematch } from '../../match/rematch.ts';
import type { Store } from '../../store/open-store.ts';
import { type CliContext, withStore } from '../context.ts';
import { formatFromFlags, isoTime, renderRows } from '../output.ts';

/** Prints the end-of-run summary: one line per figure, or JSON. */
export function renderSummary(summary: CaptureSummary, json: boolean): string {
  if (json) return `${JSON.stringify(summary, null, 2)}\n`;
  const skipped = Object.entries(summary.skipped)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const lines = [
    `read ${summary.read}, captured ${summary.captured}, duplicates ${summary.duplicates}, skipped ${Object.values(summary.skipped).reduce((a, b) => a + b, 0)}${skipped ? ` (${skipped})` : ''}, rejected ${summary.rejected}${summary.contactsCreated ? `, contacts created ${summary.contactsCreated}` : ''}`,
  ];
  const where = (r: CaptureSummary['rejections'][number]) =>
    [
      r.file,
      r.offset === undefined ? '' : `offset ${r.offset}`,
      r.line === undefined ? '' : `line ${r.line}`,
      r.record ?? '',
    ]
      .filter(Boolean)
      .join(' ');
  for (const r of summary.rejections.slice(0, 20)) lines.push(`  rejected: ${where(r)}: ${r.reason}`);
  if (summary.rejections.length > 20) lines.push(`  … ${summary.rejected - 20} more rejected (see --json)`);
  for (const w of summary.warnings.slice(0, 10)) lines.push(`  warning: ${where(w)}: ${w.reason}`);
  return `${lines.join('\n')}\n`;
}

/**
 * Runs a capture (reader events through runCapture, or a capture of its own such as captureMail)
 * with progress on a TTY, then prints the summary.
 */
export async function captureAndReport(input: {
  c: CliContext;
  events?: AsyncIterable<CaptureEvent>;
  capture?: (store: Store, onProgress: (s: CaptureSummary) => void) => Promise<CaptureSummary>;
  json: boolean;
}): Promise<CaptureSummary> {
  return withStore(input.c, async (store) => {
    const onProgress = (s: CaptureSummary) => {
      if (input.c.config.interactive && !input.json)
        process.stderr.write(`\rread ${s.read}, captured ${s.captured}…`);
    };
    const summary = input.capture
      ? await input.capture(store, onProgress)
      : await runCapture({ db: store.db, events: input.events ?? [], onProgress });
    if (input.c.config.interactive && !input.json) process.stderr.write('\n');
    input.c.io.out(renderSummary(summary, input.json));
    return summary;
  });
}

const MailFlags = z.object({
  format: z.enum(['eml', 'mbox', 'maildir']).optional(),
  parallel: z.boolean().optional(),
  json: z.boolean().optional(),
});
const ListFlags = z.object({
  lead: z.coerce.number().int().positive().optional(),
  rep: z.coerce.number().int().positive().optional(),
  kind: z.enum(['email', 'call', 'meeting']).optional(),
  since: z.string().optional(),
  unmatched: z.boolean().optional(),
  limit: z.coerce.number().int().positive().default(200),
  json: z.boolean().optional(),
  csv: z.boolean().optional(),
});

// Each source's reader (and its library: ical.js, imapflow, the CSV mapping engine) loads only when
// that source is captured, so a mail capture carries none of them.
const calendarReader = () => import('../../capture/calendar.ts');
const callsReader = () => import('../../capture/calls.ts');
const imapReader = async () => ({
  ...(await import('../../capture/imap.ts')),
  ...(await import('../../capture/imap-accounts.ts')),
});

function parseFlags<T extends z.ZodType>(schema: T, flags: unknown): z.infer<T> {
  const parsed = schema.safeParse(flags);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw badInput(`invalid option --${String(issue?.path[0] ?? '')}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

export function registerCaptureCommands(program: Command, ctx: () => CliContext): void {
  const capture = program
    .command('capture')
    .description('capture sales activity from mail, calendars and call logs');
  capture
    .command('mail')
    .description(
      'capture e-mail metadata from .eml files, mbox files and Maildir folders (bodies are never kept)',
    )
    .argument('<paths...>', 'files or folders')
    .option('--format <format>', 'eml | mbox | maildir (detected when omitted)')
    .option(
      '--parallel',
      'read and match in a second thread while this one stores (the default from ~40 MB of mail files on 2+ cores)',
    )
    .option(
      '--no-parallel',
      'read, match and store in one thread (~10-20 MB less memory, slower on 2+ cores)',
    )
    .option('--json', 'print the summary as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  gleaner capture mail ~/mail/sent.mbox ~/Maildir\n  gleaner capture mail big.mbox --no-parallel\n  gleaner capture mail message.eml --json',
    )
    .action(async (paths: string[], flags: unknown) => {
      const f = parseFlags(MailFlags, flags);
      await captureAndReport({
        c: ctx(),
        capture: (store, onProgress) =>
          captureMail({
            db: store.db,
            ...(store.openSession ? { openSession: store.openSession } : {}),
            paths,
            ...(f.format ? { format: f.format as MailFormat } : {}),
            ...(f.parallel === undefined ? {} : { parallel: f.parallel }),
            onProgress,
          }),
        json: Boolean(f.json),
      });
    });

  capture
    .command('calendar')
    .description('capture meetings from .ics files; recurring meetings are expanded within a window')
    .argument('<paths...>', '.ics files, or folders of them')
    .option('--from <date>', 'expand recurrences from this date (default: one year ago)')
    .option('--to <date>', 'expand recurrences up to this date (default: 90 days ahead)')
    .option('--tz <zone>', 'IANA zone for floating and all-day times (default: GLEANER_TZ or UTC)')
    .option('--json', 'print the summary as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  gleaner capture calendar exported.ics --from 2026-01-01 --to 2026-12-31\n  gleaner capture calendar ./calendars    # every .ics file under the folder',
    )
    .action(async (files: string[], flags: { from?: string; to?: string; tz?: string; json?: boolean }) => {
      const c = ctx();
      const day = 86_400_000;
      const when = (value: string | undefined, fallback: number, name: string) => {
        if (value === undefined) return fallback;
        const ms = Date.parse(value);
        if (Number.isNaN(ms)) throw badInput(`invalid --${name} date: ${value}`);
        return ms;
      };
      const now = Date.now();
      const options = {
        from: when(flags.from, now - 365 * day, 'from'),
        to: when(flags.to, now + 90 * day, 'to'),
        defaultZone: flags.tz ?? c.config.defaultTimeZone,
      };
      const { readCalendars } = await calendarReader();
      await captureAndReport({
        c,
        events: readCalendars({ paths: files, options }),
        json: Boolean(flags.json),
      });
    });

  capture
    .command('imap')
    .description('capture mail metadata from an IMAP account, resuming after the last UID per folder')
    .requiredOption(
      '--account <file|name>',
      'account file (YAML/JSON: host, port, tls, user, passwordEnv or passwordFile, folders), or the name of an account stored in Settings (/api/imap-accounts)',
    )
    .option('--folders <list>', "comma-separated folders (default: the file's, else INBOX,Sent)")
    .option('--json', 'print the summary as JSON')
    .addHelpText(
      'after',
      '\nExamples (account.yaml: {host: imap.example.com, user: anna, passwordEnv: IMAP_PASSWORD}):\n  IMAP_PASSWORD=… gleaner capture imap --account account.yaml --folders INBOX,Sent\n  IMAP_SALES_PASSWORD=… gleaner capture imap --account sales-inbox   # stored in Settings',
    )
    .action(async (flags: { account: string; folders?: string; json?: boolean }) => {
      const c = ctx();
      const { captureImap, loadImapAccount, loadStoredImapAccount, resolveImapPassword } = await imapReader();
      // A file of that name wins; otherwise the account stored in the workspace under that name.
      const fromFile = existsSync(flags.account) ? loadImapAccount(flags.account) : null;
      const folders = flags.folders
        ?.split(',')
        .map((f) => f.trim())
        .filter(Boolean);
      await withStore(c, async (store) => {
        const account = fromFile ?? (await loadStoredImapAccount(store.db, flags.account));
        const password = resolveImapPassword(account, process.env);
        const { summary, folders: done } = await captureImap({
          db: store.db,
          account,
          password,
          ...(folders ? { folders } : {}),
        });
        c.io.out(renderSummary(summary, Boolean(flags.json)));
        if (!flags.json) {
          for (const f of done)
            c.io.out(
              `  ${f.folder}: UIDVALIDITY ${f.uidValidity}, uids ${f.fromUid}..${f.lastUid}${f.reset ? ' (UIDVALIDITY changed: re-read)' : ''}`,
            );
        }
      });
    });

  capture
    .command('calls')
    .description('capture calls from a dialer / CRM call-log CSV, mapped by a preset or a mapping file')
    .argument('<file>', 'the call-log CSV')
    .option('--preset <name>', 'auto (default: recognised from the header) | aircall | technion-call-center')
    .option('--map <file>', 'a mapping file (the import mapping format, with entities.calls)')
    .option('--tz <zone>', "time zone for zone-less times (default: the mapping's, else GLEANER_TZ or UTC)")
    .option('--json', 'print the summary as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  gleaner capture calls aircall-calls.csv\n  gleaner capture calls calls_one_day.csv --preset technion-call-center --json\n  gleaner capture calls dialer-export.csv --map my-dialer.json',
    )
    .action(async (file: string, flags: { preset?: string; map?: string; tz?: string; json?: boolean }) => {
      const c = ctx();
      const { callMappingFor, loadRepDirectory, readCalls } = await callsReader();
      const { mapping, how } = await callMappingFor({ file, preset: flags.preset, map: flags.map });
      if (flags.tz) mapping.timeZone = flags.tz;
      if (how === 'detected' && !flags.json) c.io.err(`capture calls: detected preset ${mapping.name}`);
      await withStore(c, async (store) => {
        const reps = await loadRepDirectory(store.db);
        const summary = await runCapture({
          db: store.db,
          events: readCalls({ file, mapping, timeZone: c.config.defaultTimeZone, reps }),
        });
        c.io.out(renderSummary(summary, Boolean(flags.json)));
      });
    });

  program
    .command('rematch')
    .description('link earlier unmatched activity to leads and contacts that now match (run after imports)')
    .option('--json', 'print the summary as JSON')
    .addHelpText('after', '\nExample:\n  gleaner import leads leads.csv && gleaner rematch')
    .action(async (flags: { json?: boolean }) => {
      const c = ctx();
      await withStore(c, async (store) => {
        const s = await rematch(store.db);
        c.io.out(
          flags.json
            ? JSON.stringify(s)
            : `examined ${s.examined} unmatched participants, linked ${s.participantsLinked}, activities newly linked to a lead ${s.activitiesLinked}`,
        );
      });
    });

  const activities = program.command('activities').description('captured activities');
  activities
    .command('list')
    .description('list captured activities and how each participant matched')
    .option('--lead <id>', 'only this lead')
    .option('--rep <id>', 'only this rep')
    .option('--kind <kind>', 'email | call | meeting')
    .option('--since <date>', 'only on or after this date (ISO)')
    .option('--unmatched', 'only activities linked to no lead or contact')
    .option('--limit <n>', 'at most this many (default 200)')
    .option('--json', 'JSON output')
    .option('--csv', 'CSV output')
    .addHelpText(
      'after',
      '\nExamples:\n  gleaner activities list --lead 42\n  gleaner activities list --unmatched --kind email --csv',
    )
    .action(async (flags: unknown) => {
      const f = parseFlags(ListFlags, flags);
      const since = f.since === undefined ? undefined : Date.parse(f.since);
      if (since !== undefined && Number.isNaN(since)) throw badInput(`invalid --since date: ${f.since}`);
      const c = ctx();
      await withStore(c, async (store) => {
        const rows = await listActivities(store.db, {
          leadId: f.lead,
          repId: f.rep,
          kind: f.kind,
          since,
          unmatched: f.unmatched,
          limit: f.limit,
        });
        const out = rows.map((r) => ({ ...r, occurred_at: isoTime(r.occurred_at) }));
        c.io.out(renderRows(out, formatFromFlags(f)));
      });
    });

  activities
    .command('effort')
    .description(
      'effort in rep minutes per rep or per lead (calls/meetings: duration + allowance; e-mails: an allowance)',
    )
    .option('--by <what>', 'rep | lead (default rep)', 'rep')
    .option('--limit <n>', 'at most this many rows (default 50)', '50')
    .option('--json', 'JSON output')
    .option('--csv', 'CSV output')
    .addHelpText(
      'after',
      '\nExamples:\n  gleaner activities effort --by rep\n  gleaner activities effort --by lead --csv',
    )
    .action(async (flags: unknown) => {
      const f = parseFlags(
        z.object({
          by: z.enum(['rep', 'lead']),
          limit: z.coerce.number().int().positive(),
          json: z.boolean().optional(),
          csv: z.boolean().optional(),
        }),
        flags,
      );
      const c = ctx();
      await withStore(c, async (store) => {
        c.io.out(renderRows(await effortSummary(store.db, { by: f.by, limit: f.limit }), formatFromFlags(f)));
      });
    });
}

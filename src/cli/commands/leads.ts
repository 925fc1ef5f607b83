import type { Command } from 'commander';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { LeadStatus } from '../../domain/words.ts';
import { badInput, notFound } from '../../errors/app-error.ts';
import { type LeadDetail, listLeads, loadLeadDetail } from '../../leads/leads.repository.ts';
import { slaShowSection } from '../../sla/lead-show-section.ts';
import type { Store } from '../../store/open-store.ts';
import { type CliContext, withStore } from '../context.ts';
import { formatFromFlags, isoTime, renderRows } from '../output.ts';

const ListFlags = z.object({
  status: z
    .string()
    .optional()
    .transform((s) => (s ? s.split(',').map((x) => x.trim()) : undefined))
    .pipe(z.array(LeadStatus).optional()),
  owner: z.string().min(1).optional(),
  source: z.string().min(1).optional(),
  campaign: z.string().min(1).optional(),
  since: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(1_000_000).default(100),
  json: z.boolean().optional(),
  csv: z.boolean().optional(),
});

/** One extra block of `gleaner leads show` (SLA, score …): a title and lines, plus a JSON key. */
export type LeadShowSection = {
  key: string;
  title: string;
  build: (store: Store, detail: LeadDetail) => Promise<{ lines: string[]; data: unknown } | null>;
};

/** Sections other capabilities add to `leads show` (one line each, e.g. the SLA explanation). */
export const leadShowSections: LeadShowSection[] = [slaShowSection];

/** The data `leads show --json` prints: the lead's detail plus every registered section's data. */
export async function buildLeadShow(
  store: Store,
  ref: string,
): Promise<{
  detail: LeadDetail;
  sections: Array<{ key: string; title: string; lines: string[]; data: unknown }>;
}> {
  const detail = await loadLeadDetail(store.db, ref);
  if (!detail) throw notFound(`no lead with id or external id "${ref}"`);
  const sections = [];
  for (const section of leadShowSections) {
    const built = await section.build(store, detail);
    if (built) sections.push({ key: section.key, title: section.title, ...built });
  }
  return { detail, sections };
}

export function registerLeadsCommands(program: Command, ctx: () => CliContext): void {
  const leads = program.command('leads').description('list and inspect leads');

  leads
    .command('list')
    .description('list leads (nurture leads only with --status nurture)')
    .option('--status <statuses>', 'comma-separated lifecycle statuses, e.g. mql,working')
    .option('--owner <rep>', 'owner rep: id, external id, e-mail or name')
    .option('--source <source>', 'lead source, e.g. webinar')
    .option('--campaign <campaign>', 'campaign')
    .option('--since <date>', 'handed over on or after this date (ISO 8601)')
    .option('--limit <n>', 'at most this many rows', '100')
    .option('--json', 'JSON output')
    .option('--csv', 'CSV output')
    .addHelpText(
      'after',
      '\nExamples:\n  gleaner leads list --status mql --source paid_search --since 2018-01-01\n  gleaner leads list --owner jane@acme.com --csv > jane.csv',
    )
    .action(async (raw: Record<string, unknown>) => {
      const c = ctx();
      const flags = ListFlags.safeParse(raw);
      if (!flags.success) {
        const issue = flags.error.issues[0];
        throw badInput(`--${String(issue?.path[0] ?? 'option')}: ${issue?.message ?? 'invalid'}`);
      }
      const f = flags.data;
      let since: number | undefined;
      if (f.since) {
        const dt = DateTime.fromISO(f.since, { zone: c.config.defaultTimeZone });
        if (!dt.isValid) throw badInput(`--since: "${f.since}" is not an ISO 8601 date (e.g. 2026-01-31)`);
        since = dt.toMillis();
      }
      const rows = await withStore(c, (store) =>
        listLeads(store.db, {
          ...(f.status ? { status: f.status } : {}),
          ...(f.owner ? { owner: f.owner } : {}),
          ...(f.source ? { source: f.source } : {}),
          ...(f.campaign ? { campaign: f.campaign } : {}),
          ...(since !== undefined ? { since } : {}),
          limit: f.limit,
        }),
      );
      const format = formatFromFlags(f);
      const out = rows.map((r) => ({
        id: r.id,
        external_id: r.external_id,
        name: r.name,
        company: r.company,
        source: r.source,
        campaign: r.campaign,
        score: r.score,
        status: r.status,
        handed_over_at: format === 'json' ? r.handed_over_at : isoTime(r.handed_over_at),
        owner: r.owner_name,
        flags: r.flags,
      }));
      c.io.out(
        renderRows(out, format, Object.keys(out[0] ?? { id: 0, external_id: '', name: '', status: '' })),
      );
    });

  leads
    .command('show')
    .description('show one lead: fields, owner, lifecycle events and activity counters')
    .argument('<id>', 'the CRM external id or Gleaner numeric id')
    .option('--json', 'JSON output')
    .addHelpText('after', '\nExample:\n  gleaner leads show b91cf8812365f50ff4bda4bcd6206b05')
    .action(async (ref: string, raw: { json?: boolean }) => {
      const c = ctx();
      const shown = await withStore(c, (store) => buildLeadShow(store, ref));
      if (raw.json) {
        c.io.out(
          JSON.stringify(
            { ...shown.detail, ...Object.fromEntries(shown.sections.map((s) => [s.key, s.data])) },
            null,
            2,
          ),
        );
        return;
      }
      c.io.out(renderLeadDetail(shown.detail));
      for (const s of shown.sections) c.io.out(`\n${s.title}\n${s.lines.map((l) => `  ${l}`).join('\n')}`);
    });
}

function renderLeadDetail(d: LeadDetail): string {
  const l = d.lead;
  const field = (label: string, value: unknown) =>
    value === null || value === undefined || value === '' ? null : `  ${label.padEnd(16)} ${String(value)}`;
  const lines = [
    `lead ${l.id} (${l.external_id})`,
    field('name', l.name ?? ([l.first_name, l.last_name].filter(Boolean).join(' ') || null)),
    field('email', l.email),
    field('phone', l.phone),
    field('title', l.title),
    field('company', l.company),
    field('domain', l.company_domain),
    field('industry', l.industry),
    field('country', l.country),
    field('source', l.source),
    field('campaign', l.campaign),
    field('landing page', l.landing_page),
    field('score', l.score),
    field('status', l.status),
    field('reason', l.disposition_reason),
    field('handed over', isoTime(l.handed_over_at)),
    field('converted', isoTime(l.converted_at)),
    field('owner', d.owner ? `${d.owner.name} (${d.owner.external_id})` : '(unassigned)'),
    field('account', d.account ? `${d.account.name} (${d.account.external_id})` : null),
    field(
      'opportunity',
      d.opportunity
        ? `${d.opportunity.external_id} ${d.opportunity.stage ?? ''} ${d.opportunity.amount ?? ''} ${d.opportunity.currency ?? ''}`.trim()
        : null,
    ),
    field('flags', l.flags),
  ].filter((x): x is string => x !== null);
  lines.push('', 'lifecycle events');
  if (d.events.length === 0) lines.push('  (none)');
  for (const e of d.events) {
    const change = e.from_status || e.to_status ? ` ${e.from_status ?? '?'} → ${e.to_status ?? '?'}` : '';
    const reason =
      e.reason_code || e.reason_text ? ` (${[e.reason_code, e.reason_text].filter(Boolean).join(': ')})` : '';
    lines.push(`  ${isoTime(e.occurred_at)}  ${e.kind}${change} by ${e.actor}${reason}`);
  }
  const s = d.stats;
  lines.push('', 'activity');
  lines.push(
    s
      ? `  touches ${s.touches} (calls ${s.calls}, emails ${s.emails}, meetings ${s.meetings}), responses ${s.responses}, effort ${s.effort_minutes} min, first touch ${isoTime(s.first_touch_at) || '-'}, last touch ${isoTime(s.last_touch_at) || '-'}`
      : '  no captured activity yet',
  );
  if (l.extra) {
    lines.push('', 'other imported fields');
    for (const [k, v] of Object.entries(JSON.parse(l.extra) as Record<string, unknown>))
      lines.push(`  ${k}: ${String(v)}`);
  }
  return lines.join('\n');
}

import type { Kysely, Selectable } from 'kysely';
import { applyLeadStats, leadStatsDeltas, type StatsInput } from '../capture/activity-store.ts';
import { type CaptureSettings, loadCaptureSettings } from '../capture/capture-settings.ts';
import { openLeadStatuses } from '../domain/words.ts';
import { refreshTouchGaps } from '../sla/lead-stats.ts';
import type { ContactsTable, Database, LeadsTable } from '../store/schema.ts';
import {
  buildMatchIndex,
  identify,
  matchLeadColumns as leadColumns,
  type MatchIndex,
  matchExternal,
} from './matcher.ts';
import { normaliseEmail, normalisePhone } from './normalise.ts';

export type RematchSummary = { examined: number; participantsLinked: number; activitiesLinked: number };

const senderRoles = new Set(['from', 'caller', 'organizer']);

/**
 * Links earlier activity whose external participants did not match a lead or contact but now do
 * (after leads or contacts were imported or gained an address or phone). Call it after imports.
 * Activities newly given a lead add to that lead's counters.
 */
export async function rematch(db: Kysely<Database>): Promise<RematchSummary> {
  // Candidates first: after most imports there are none, and the match index (every lead with an
  // address) is then never loaded; a million imported leads would cost hundreds of MB.
  const candidates = await db
    .selectFrom('activity_participants as p')
    .innerJoin('activities as a', 'a.id', 'p.activity_id')
    .select([
      'p.id',
      'p.activity_id',
      'p.role',
      'p.email',
      'p.phone',
      'p.response',
      'a.kind',
      'a.direction',
      'a.disposition',
      'a.occurred_at',
      'a.effort_minutes',
      'a.lead_id as activity_lead_id',
      'a.contact_id as activity_contact_id',
      'a.account_id as activity_account_id',
    ])
    .where('p.rep_id', 'is', null)
    .where('p.lead_id', 'is', null)
    .where('p.contact_id', 'is', null)
    .execute();
  const summary: RematchSummary = { examined: candidates.length, participantsLinked: 0, activitiesLinked: 0 };
  if (candidates.length === 0) return summary;
  const settings = await loadCaptureSettings(db);
  const index = await loadCandidateIndex(db, { settings, participants: candidates });
  const activityIds = [...new Set(candidates.map((c) => c.activity_id))];
  const repsByActivity = new Map<number, number[]>();
  for (let i = 0; i < activityIds.length; i += 1000) {
    const rows = await db
      .selectFrom('activity_participants')
      .select(['activity_id', 'rep_id'])
      .where('activity_id', 'in', activityIds.slice(i, i + 1000))
      .where('rep_id', 'is not', null)
      .execute();
    for (const r of rows)
      repsByActivity.set(r.activity_id, [...(repsByActivity.get(r.activity_id) ?? []), r.rep_id as number]);
  }
  const linkedActivities = new Set<number>();
  const statsInputs: StatsInput[] = [];
  await db.transaction().execute(async (trx) => {
    for (const c of candidates) {
      const identified = identify(index, { email: c.email, phone: c.phone });
      if (!identified.external) continue;
      const m = matchExternal(index, identified, repsByActivity.get(c.activity_id) ?? []);
      if (m.leadId === null && m.contactId === null) continue;
      await trx
        .updateTable('activity_participants')
        .set({
          lead_id: m.leadId,
          contact_id: m.contactId,
          account_id: m.accountId,
          match_rule: m.rule,
          match_note: m.note,
        })
        .where('id', '=', c.id)
        .execute();
      summary.participantsLinked++;
      if (c.activity_lead_id !== null || linkedActivities.has(c.activity_id)) continue;
      if (m.leadId === null) {
        if (c.activity_contact_id === null)
          await trx
            .updateTable('activities')
            .set({ contact_id: m.contactId, account_id: c.activity_account_id ?? m.accountId })
            .where('id', '=', c.activity_id)
            .execute();
        continue;
      }
      const isSender = senderRoles.has(c.role);
      const cancelled = c.kind === 'meeting' && c.disposition?.toLowerCase() === 'cancelled';
      if (c.response === 'declined') continue;
      const isTouch = !cancelled && (c.kind === 'meeting' || (c.direction === 'outbound' && !isSender));
      const isResponse = c.kind !== 'meeting' && c.direction === 'inbound' && isSender;
      await trx
        .updateTable('activities')
        .set({
          lead_id: m.leadId,
          contact_id: c.activity_contact_id ?? m.contactId,
          account_id: c.activity_account_id ?? m.accountId,
          is_touch: isTouch ? 1 : 0,
          is_response: isResponse ? 1 : 0,
        })
        .where('id', '=', c.activity_id)
        .execute();
      linkedActivities.add(c.activity_id);
      statsInputs.push({
        leadId: m.leadId,
        kind: c.kind,
        occurredAt: c.occurred_at,
        isTouch,
        isResponse,
        effortMinutes: c.effort_minutes,
      });
    }
    await applyLeadStats(trx, leadStatsDeltas(statsInputs), Date.now());
    await refreshTouchGaps(
      trx,
      statsInputs.flatMap((i) => (i.leadId === null ? [] : [i.leadId])),
    );
  });
  summary.activitiesLinked = linkedActivities.size;
  return summary;
}

/**
 * The match index for a set of participants: every rep, identity and account domain, but only the
 * leads and contacts whose normalised address or phone is one of theirs. Leads and contacts are read
 * a page at a time, so memory follows the participants, not the size of the workspace.
 */
async function loadCandidateIndex(
  db: Kysely<Database>,
  options: {
    settings: CaptureSettings;
    participants: ReadonlyArray<{ email: string | null; phone: string | null }>;
  },
): Promise<MatchIndex> {
  const region = options.settings.defaultRegion;
  const emails = new Set<string>();
  const phones = new Set<string>();
  for (const p of options.participants) {
    const email = normaliseEmail(p.email);
    if (email) emails.add(email);
    const phone = normalisePhone(p.phone, region);
    if (phone) phones.add(phone);
  }
  const wanted = (row: { email: string | null; phone: string | null }) =>
    emails.has(normaliseEmail(row.email) ?? '') || phones.has(normalisePhone(row.phone, region) ?? '');
  const leads: LeadRow[] = [];
  for (let after = 0; ; ) {
    const page = await db
      .selectFrom('leads')
      .select(leadColumns)
      .where('id', '>', after)
      .where((eb) => eb.or([eb('email', 'is not', null), eb('phone', 'is not', null)]))
      .orderBy('id')
      .limit(PAGE)
      .execute();
    for (const l of page) if (wanted(l)) leads.push(l);
    if (page.length < PAGE) break;
    after = page[page.length - 1]?.id ?? after;
  }
  const contacts: ContactRow[] = [];
  for (let after = 0; ; ) {
    const page = await db
      .selectFrom('contacts')
      .select(contactColumns)
      .where('id', '>', after)
      .where((eb) => eb.or([eb('email', 'is not', null), eb('phone', 'is not', null)]))
      .orderBy('id')
      .limit(PAGE)
      .execute();
    for (const c of page) if (wanted(c)) contacts.push(c);
    if (page.length < PAGE) break;
    after = page[page.length - 1]?.id ?? after;
  }
  const [repIdentities, reps, accountDomains] = await Promise.all([
    db.selectFrom('rep_identities').select(['rep_id', 'kind', 'value']).execute(),
    db.selectFrom('reps').select(['id', 'email']).execute(),
    db.selectFrom('account_domains').select(['account_id', 'domain']).execute(),
  ]);
  return buildMatchIndex({
    repIdentities,
    reps,
    leads,
    contacts,
    accountDomains,
    ownDomains: options.settings.ownDomains,
    blocklist: options.settings.blocklist,
    defaultRegion: region,
    openStatuses: openLeadStatuses,
  });
}

const PAGE = 10_000;
const contactColumns = ['id', 'email', 'phone', 'account_id', 'updated_at'] as const;
type LeadRow = Pick<Selectable<LeadsTable>, (typeof leadColumns)[number]>;
type ContactRow = Pick<Selectable<ContactsTable>, (typeof contactColumns)[number]>;

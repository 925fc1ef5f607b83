import { type Kysely, SqliteAdapter, sql, type Transaction } from 'kysely';
import type { DecidedActivity } from '../match/decide.ts';
import { decideActivity } from '../match/decide.ts';
import type { MatchIndex } from '../match/matcher.ts';
import { emailDomain } from '../match/normalise.ts';
import type { Database } from '../store/schema.ts';
import type { CapturedActivity, Rejection } from './activity.ts';
import { flushLeadStats, insertActivities, type LeadStatsByLead, loadMatchIndex } from './activity-store.ts';
import type { CaptureSettings } from './capture-settings.ts';
import { loadCaptureSettings } from './capture-settings.ts';

export type CaptureEvent = { activity: CapturedActivity } | { rejection: Rejection } | { warning: Rejection };

/** What every capture command reports at the end. */
export type CaptureSummary = {
  read: number;
  captured: number;
  duplicates: number;
  skipped: Record<string, number>;
  rejected: number;
  contactsCreated: number;
  /** The first rejections and warnings, with file (and offset/line) and reason. */
  rejections: Rejection[];
  warnings: Rejection[];
};

const MAX_LISTED = 500;
const BATCH = 2000;
const SEGMENT_ACTIVITIES = 25_000;
const SEGMENT_MS = 2_000;

export const emptySummary = (): CaptureSummary => ({
  read: 0,
  captured: 0,
  duplicates: 0,
  skipped: {},
  rejected: 0,
  contactsCreated: 0,
  rejections: [],
  warnings: [],
});

/** Tracks unknown people at known accounts and creates contacts when the policy is met. */
type AutoContacts = { sent: Map<string, number>; received: Map<string, number>; created: Set<string> };

async function autoCreateContacts(input: {
  db: Transaction<Database>;
  decided: DecidedActivity;
  index: MatchIndex;
  settings: CaptureSettings;
  state: AutoContacts;
  now: number;
}): Promise<number> {
  const { decided, index, settings, state } = input;
  const policy = settings.autoContact.policy;
  if (policy === 'never') return 0;
  let created = 0;
  for (const p of decided.participants) {
    if (!p.email || p.rule === 'auto-contact') continue;
    if (state.created.has(p.email)) {
      if (p.rule === 'email') p.rule = 'auto-contact';
      continue;
    }
    // Only people at a known account's domain, never personal providers or own domains.
    if (p.rule !== 'domain' || p.personal || !p.external || p.accountId === null) continue;
    const isSender = p.role === 'from' || p.role === 'organizer';
    const map =
      decided.direction === 'outbound' && !isSender ? state.sent : isSender ? state.received : undefined;
    if (!map) continue;
    map.set(p.email, (map.get(p.email) ?? 0) + 1);
    const sent = state.sent.get(p.email) ?? 0;
    const received = state.received.get(p.email) ?? 0;
    const ok =
      policy === 'sent-to'
        ? sent >= settings.autoContact.threshold
        : sent >= 1 && received >= 1 && sent + received >= settings.autoContact.threshold;
    if (!ok) continue;
    const row = await input.db
      .insertInto('contacts')
      .values({
        email: p.email,
        name: p.name,
        account_id: p.accountId,
        origin: 'auto',
        created_at: input.now,
        updated_at: input.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const ref = { id: row.id, accountId: p.accountId, recency: input.now };
    index.contactsByEmail.set(p.email, [ref]);
    state.created.add(p.email);
    p.contactId = row.id;
    p.rule = 'auto-contact';
    p.note = `contact created: ${policy} threshold ${settings.autoContact.threshold} at ${emailDomain(p.email)}`;
    if (decided.contactId === null && decided.leadId === null) decided.contactId = row.id;
    created++;
  }
  return created;
}

/**
 * Runs a capture: every read event is decided (skip or store), stored in batches with duplicates
 * folded, and counted in the summary. Matching uses maps loaded once from the store.
 *
 * Batches are written inside longer transactions (segments) that commit every SEGMENT_ACTIVITIES
 * activities or SEGMENT_MS, whichever comes first: a commit rewrites every index page a batch
 * touched, so fewer commits is most of the store's cost, while a crash still keeps every
 * committed segment and a re-run skips what is stored (the source key is unique). The lead
 * counters of a segment are summed in memory and applied once, set-based, before its commit.
 * Events are read inside the transaction, so a reader must not query the store while it yields
 * (load what it needs first, as the IMAP reader does with its cursors).
 */
export async function runCapture(input: {
  db: Kysely<Database>;
  events: AsyncIterable<CaptureEvent> | Iterable<CaptureEvent>;
  settings?: CaptureSettings;
  index?: MatchIndex;
  onProgress?: (summary: CaptureSummary) => void;
}): Promise<CaptureSummary> {
  const settings = input.settings ?? (await loadCaptureSettings(input.db));
  const index = input.index ?? (await loadMatchIndex(input.db, settings));
  const summary = emptySummary();
  const auto: AutoContacts = { sent: new Map(), received: new Map(), created: new Set() };
  const events =
    Symbol.asyncIterator in input.events
      ? input.events[Symbol.asyncIterator]()
      : (input.events as Iterable<CaptureEvent>)[Symbol.iterator]();
  let done = false;
  // SQLite keeps a statement journal for each multi-row INSERT inside a transaction (to undo that
  // statement alone); by default it spills to a temporary file, and writing it cost ~15% of the
  // store's time. In memory it is as safe: it only ever undoes a statement of a live transaction.
  const sqlite = input.db.getExecutor().adapter instanceof SqliteAdapter;
  const tempStore = sqlite
    ? Number(
        (await sql<{ temp_store: number }>`pragma temp_store`.execute(input.db)).rows[0]?.temp_store ?? 0,
      )
    : 0;
  if (sqlite) await sql`pragma temp_store = memory`.execute(input.db);
  try {
    while (!done) {
      await input.db.transaction().execute(async (trx) => {
        const stats: LeadStatsByLead = new Map();
        const started = Date.now();
        let written = 0;
        let batch: DecidedActivity[] = [];
        // One batch is written while the next is read and decided (PostgreSQL works while Node
        // parses); batches are written in order, each after the one before it has finished.
        let inFlight: Promise<void> = Promise.resolve();
        const write = async (activities: DecidedActivity[]) => {
          const result = await insertActivities({
            trx,
            activities,
            keepSubjects: settings.keepSubjects,
            stats,
          });
          summary.captured += result.inserted;
          summary.duplicates += result.duplicates;
          input.onProgress?.(summary);
        };
        const flush = async () => {
          if (batch.length === 0) return;
          const activities = batch;
          batch = [];
          written += activities.length;
          const previous = inFlight;
          inFlight = previous.then(() => write(activities));
          inFlight.catch(() => {}); // awaited below; this only keeps Node from calling it unhandled meanwhile
          await previous;
        };
        try {
          while (written < SEGMENT_ACTIVITIES && Date.now() - started < SEGMENT_MS) {
            const next = await events.next();
            if (next.done) {
              done = true;
              break;
            }
            const event = next.value;
            if ('warning' in event) {
              if (summary.warnings.length < MAX_LISTED) summary.warnings.push(event.warning);
              continue;
            }
            summary.read++;
            if ('rejection' in event) {
              summary.rejected++;
              if (summary.rejections.length < MAX_LISTED) summary.rejections.push(event.rejection);
              continue;
            }
            const decision = decideActivity({ activity: event.activity, index, settings });
            if ('skip' in decision) {
              summary.skipped[decision.skip] = (summary.skipped[decision.skip] ?? 0) + 1;
              continue;
            }
            summary.contactsCreated += await autoCreateContacts({
              db: trx,
              decided: decision.activity,
              index,
              settings,
              state: auto,
              now: Date.now(),
            });
            batch.push(decision.activity);
            if (batch.length >= BATCH) await flush();
          }
          await flush();
        } catch (error) {
          // Nothing may still run on the transaction when it rolls back; a failed write is the
          // cause of what failed after it (PostgreSQL refuses the rest of the transaction).
          await inFlight;
          throw error;
        }
        await inFlight;
        await flushLeadStats(trx, stats, Date.now());
      });
    }
  } finally {
    if (sqlite) await sql.raw(`pragma temp_store = ${tempStore}`).execute(input.db);
  }
  return summary;
}

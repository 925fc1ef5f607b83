import { type Kysely, SqliteAdapter, type Transaction } from 'kysely';
import type { DecidedActivity } from '../match/decide.ts';
import { decideActivity } from '../match/decide.ts';
import type { MatchIndex } from '../match/matcher.ts';
import { emailDomain } from '../match/normalise.ts';
import type { CopyInto } from '../store/copy-rows.ts';
import type { Database } from '../store/schema.ts';
import { setSqlitePragma } from '../store/sqlite-pragma.ts';
import type { CapturedActivity, Rejection } from './activity.ts';
import {
  type ActivityRows,
  addActivityRows,
  addReferencedIds,
  emptyActivityRows,
  flushLeadStats,
  insertActivities,
  type LeadStatsByLead,
  loadMatchIndex,
  replaceContactIds,
} from './activity-store.ts';
import type { CaptureSettings } from './capture-settings.ts';
import { loadCaptureSettings } from './capture-settings.ts';
import {
  checkReferencedIds,
  noReferencedIds,
  type ReferencedIds,
  withoutForeignKeyChecks,
} from './reference-check.ts';

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

/**
 * A contact the policy creates, written with the batch that first needs it. Until then it is known
 * by a placeholder id (−1, −2 …) that the writer replaces with the stored id (resolveContacts):
 * deciding never waits for the store, so it can run ahead of the writes or in another thread.
 */
export type NewContact = {
  placeholder: number;
  email: string;
  name: string | null;
  accountId: number;
  createdAt: number;
};

function autoCreateContacts(input: {
  decided: DecidedActivity;
  index: MatchIndex;
  settings: CaptureSettings;
  state: AutoContacts;
  now: number;
  create: (contact: Omit<NewContact, 'placeholder'>) => number;
}): void {
  const { decided, index, settings, state } = input;
  const policy = settings.autoContact.policy;
  if (policy === 'never') return;
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
    const id = input.create({ email: p.email, name: p.name, accountId: p.accountId, createdAt: input.now });
    index.contactsByEmail.set(p.email, [{ id, accountId: p.accountId, recency: input.now }]);
    state.created.add(p.email);
    p.contactId = id;
    p.rule = 'auto-contact';
    p.note = `contact created: ${policy} threshold ${settings.autoContact.threshold} at ${emailDomain(p.email)}`;
    if (decided.contactId === null && decided.leadId === null) decided.contactId = id;
  }
}

/**
 * What deciding a run of events gives the writer: the activities to store, the contacts they need
 * created first, and the counts for the summary (the listed rejections and warnings already cut
 * at MAX_LISTED for the whole run).
 */
export type DecidedBatch = {
  /** The activities to store, as their rows. */
  rows: ActivityRows;
  contacts: NewContact[];
  read: number;
  rejected: number;
  skipped: Record<string, number>;
  rejections: Rejection[];
  warnings: Rejection[];
};

const emptyBatch = (): DecidedBatch => ({
  rows: emptyActivityRows(),
  contacts: [],
  read: 0,
  rejected: 0,
  skipped: {},
  rejections: [],
  warnings: [],
});

/**
 * Decides events (skip or store, with auto-created contacts) into batches of up to BATCH
 * activities; a batch also ends after SEGMENT_MS, so a slow source still gets written. Touches
 * nothing but the index: the same code runs beside the writer or in a worker thread
 * (mail-capture.ts).
 */
export async function* decideBatches(input: {
  events: AsyncIterable<CaptureEvent> | Iterable<CaptureEvent>;
  index: MatchIndex;
  settings: CaptureSettings;
  /** Activities per batch (default BATCH). */
  batchSize?: number;
}): AsyncGenerator<DecidedBatch> {
  const { index, settings } = input;
  const size = input.batchSize ?? BATCH;
  const auto: AutoContacts = { sent: new Map(), received: new Map(), created: new Set() };
  let placeholders = 0;
  let listedRejections = 0;
  let listedWarnings = 0;
  let batch = emptyBatch();
  let started = Date.now();
  const create = (contact: Omit<NewContact, 'placeholder'>) => {
    const placeholder = -++placeholders;
    batch.contacts.push({ placeholder, ...contact });
    return placeholder;
  };
  // A for-await over an iterable of events takes one asynchronous step per event either way.
  for await (const event of input.events) {
    if ('warning' in event) {
      if (listedWarnings < MAX_LISTED) {
        listedWarnings++;
        batch.warnings.push(event.warning);
      }
      continue;
    }
    batch.read++;
    if ('rejection' in event) {
      batch.rejected++;
      if (listedRejections < MAX_LISTED) {
        listedRejections++;
        batch.rejections.push(event.rejection);
      }
    } else {
      const decision = decideActivity({ activity: event.activity, index, settings });
      if ('skip' in decision) batch.skipped[decision.skip] = (batch.skipped[decision.skip] ?? 0) + 1;
      else {
        autoCreateContacts({
          decided: decision.activity,
          index,
          settings,
          state: auto,
          now: Date.now(),
          create,
        });
        addActivityRows(batch.rows, decision.activity, settings.keepSubjects);
      }
    }
    if (
      batch.rows.participantCounts.length >= size ||
      batch.read >= 4 * size ||
      Date.now() - started >= SEGMENT_MS
    ) {
      yield batch;
      batch = emptyBatch();
      started = Date.now();
    }
  }
  if (batch.read > 0 || batch.warnings.length > 0) yield batch;
}

/** Adds a batch's counts to the summary. */
function countBatch(summary: CaptureSummary, batch: DecidedBatch): void {
  summary.read += batch.read;
  summary.rejected += batch.rejected;
  for (const [reason, n] of Object.entries(batch.skipped))
    summary.skipped[reason] = (summary.skipped[reason] ?? 0) + n;
  for (const r of batch.rejections) summary.rejections.push(r);
  for (const w of batch.warnings) summary.warnings.push(w);
  summary.contactsCreated += batch.contacts.length;
}

/**
 * Runs a capture: every read event is decided (skip or store), stored in batches with duplicates
 * folded, and counted in the summary. Matching uses maps loaded once from the store.
 */
export async function runCapture(input: {
  db: Kysely<Database>;
  events: AsyncIterable<CaptureEvent> | Iterable<CaptureEvent>;
  settings?: CaptureSettings;
  index?: MatchIndex;
  onProgress?: (summary: CaptureSummary) => void;
  /** See writeBatches. */
  copy?: CopyInto;
  /** See writeBatches. */
  bulkReferenceCheck?: boolean;
}): Promise<CaptureSummary> {
  const settings = input.settings ?? (await loadCaptureSettings(input.db));
  const index = input.index ?? (await loadMatchIndex(input.db, settings));
  return writeBatches({
    db: input.db,
    batches: decideBatches({ events: input.events, index, settings }),
    ...(input.onProgress ? { onProgress: input.onProgress } : {}),
    ...(input.copy ? { copy: input.copy } : {}),
    ...(input.bulkReferenceCheck ? { bulkReferenceCheck: true } : {}),
  });
}

/**
 * Stores decided batches. They are written inside longer transactions (segments) that commit
 * every SEGMENT_ACTIVITIES activities or SEGMENT_MS, whichever comes first: a commit rewrites every
 * index page a batch touched, so fewer commits is most of the store's cost, while a crash still
 * keeps every committed segment and a re-run skips what is stored (the source key is unique). The
 * lead counters of a segment are summed in memory and applied once, set-based, before its commit.
 * Batches are taken inside the transaction, so a reader must not query the store while it yields
 * (load what it needs first, as the IMAP reader does with its cursors).
 */
export async function writeBatches(input: {
  db: Kysely<Database>;
  batches: AsyncIterator<DecidedBatch> | AsyncIterable<DecidedBatch>;
  onProgress?: (summary: CaptureSummary) => void;
  /** COPY on `db`'s one PostgreSQL connection (a store session), for participants: insertActivities. */
  copy?: CopyInto;
  /**
   * SQLite: check the new rows' references once per segment, set-based (reference-check.ts), with
   * the connection's row-by-row foreign-key checks off meanwhile. Only for a connection nothing
   * else writes on during the run (the CLI's own).
   */
  bulkReferenceCheck?: boolean;
}): Promise<CaptureSummary> {
  const summary = emptySummary();
  const batches =
    Symbol.asyncIterator in input.batches ? input.batches[Symbol.asyncIterator]() : input.batches;
  // Placeholder ids of auto-created contacts → their stored ids, for the whole run.
  const contactIds = new Map<number, number>();
  let done = false;
  // SQLite keeps a statement journal for each multi-row INSERT inside a transaction (to undo that
  // statement alone); by default it spills to a temporary file, and writing it cost ~15% of the
  // store's time. In memory it is as safe: it only ever undoes a statement of a live transaction.
  const sqlite = input.db.getExecutor().adapter instanceof SqliteAdapter;
  const resetTempStore = sqlite ? await setSqlitePragma(input.db, 'temp_store', 'memory') : null;
  const bulkCheck = sqlite && input.bulkReferenceCheck === true;
  const segments = async () => {
    while (!done) {
      await input.db.transaction().execute(async (trx) => {
        const referenced: ReferencedIds | null = bulkCheck ? noReferencedIds() : null;
        const stats: LeadStatsByLead = new Map();
        const started = Date.now();
        let written = 0;
        // One batch is written while the next is decided (PostgreSQL works while Node parses);
        // batches are written in order, each after the one before it has finished.
        let inFlight: Promise<void> = Promise.resolve();
        const write = async (batch: DecidedBatch) => {
          await resolveContacts({ trx, batch, ids: contactIds });
          if (referenced) {
            addReferencedIds(batch.rows, referenced);
            for (const c of batch.contacts) referenced.accounts.add(c.accountId);
          }
          const result = await insertActivities({
            trx,
            rows: batch.rows,
            stats,
            ...(input.copy ? { copy: input.copy } : {}),
          });
          summary.captured += result.inserted;
          summary.duplicates += result.duplicates;
          input.onProgress?.(summary);
        };
        try {
          while (written < SEGMENT_ACTIVITIES && Date.now() - started < SEGMENT_MS) {
            const next = await batches.next();
            if (next.done) {
              done = true;
              break;
            }
            const batch = next.value;
            countBatch(summary, batch);
            const activities = batch.rows.participantCounts.length;
            if (activities === 0) continue;
            written += activities;
            const previous = inFlight;
            inFlight = previous.then(() => write(batch));
            inFlight.catch(() => {}); // awaited below; this only keeps Node from calling it unhandled meanwhile
            await previous;
          }
        } catch (error) {
          // Nothing may still run on the transaction when it rolls back; a failed write is the
          // cause of what failed after it (PostgreSQL refuses the rest of the transaction).
          await inFlight;
          throw error;
        }
        await inFlight;
        if (referenced) await checkReferencedIds(trx, referenced);
        await flushLeadStats(trx, stats, Date.now());
      });
    }
  };
  try {
    await (bulkCheck ? withoutForeignKeyChecks(input.db, segments) : segments());
  } finally {
    await resetTempStore?.();
    await batches.return?.();
  }
  return summary;
}

/** Creates a batch's new contacts and puts their stored ids where its activities hold placeholders. */
async function resolveContacts(input: {
  trx: Transaction<Database>;
  batch: DecidedBatch;
  ids: Map<number, number>;
}): Promise<void> {
  const { trx, batch, ids } = input;
  for (const c of batch.contacts) {
    const row = await trx
      .insertInto('contacts')
      .values({
        email: c.email,
        name: c.name,
        account_id: c.accountId,
        origin: 'auto',
        created_at: c.createdAt,
        updated_at: c.createdAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.set(c.placeholder, row.id);
  }
  if (ids.size > 0) replaceContactIds(batch.rows, (id) => (id < 0 ? ids.get(id) : undefined));
}

import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../store/schema.ts';
import { dumpCapture } from '../testing/capture-dump.ts';
import { testEngines } from '../testing/engines.ts';
import { leadEmail, repEmail, writeGeneratedMbox } from '../testing/mail-generator.ts';
import { referenceReadFile, referenceReadMboxHeaders } from '../testing/mail-reference.ts';
import { sharedDataDir, sharedDataPath } from '../testing/shared-data.ts';
import { type CaptureSummary, runCapture } from './capture-run.ts';
import { saveSetting } from './capture-settings.ts';
import { captureMail } from './mail-capture.ts';
import { detectMailFormat, readMail } from './mail-files.ts';
import { type MboxHeader, readMboxHeaders } from './mbox-reader.ts';

// The fast capture path must give exactly what the reader and pipeline gave before it: the
// reference reader (src/testing/mail-reference.ts) is the old code kept verbatim, and the golden
// dump below was written by the old pipeline (UPDATE_GOLDEN=1 rewrites it).
const fixtures = 'test-fixtures/capture';
const tricky = join(fixtures, 'equivalence/tricky-headers.mbox');
const goldenEml = readdirSync(join(fixtures, 'golden'))
  .filter((f) => f.endsWith('.eml'))
  .map((f) => join(fixtures, 'golden', f));
const goldenDump = join(fixtures, 'equivalence/capture-dump.json');

const REPS = 20;
const LEADS = 300;

async function collect(events: AsyncIterable<unknown>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const e of events) out.push(e);
  return out;
}

/** Every file's events from the reader equal the old reader's, in order. */
async function expectSameEvents(files: readonly string[]): Promise<number> {
  let events = 0;
  for (const file of files) {
    const format = await detectMailFormat(file);
    const kind = format === 'mbox' ? 'mbox' : 'eml';
    const actual = await collect(readMail({ paths: [file] }));
    const expected = await collect(referenceReadFile(file, kind));
    expect(actual, file).toEqual(expected);
    events += actual.length;
  }
  return events;
}

const findFiles = (dir: string) =>
  execFileSync('find', [dir, '-type', 'f', '!', '-name', '*.md', '!', '-name', '*.txt'])
    .toString()
    .trim()
    .split('\n')
    .filter(Boolean)
    .sort();

describe('mail reader equivalence with the reference (pre-fast-path) reader', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gleaner-equiv-'));
    await writeGeneratedMbox({ path: join(dir, 'gen.mbox'), count: 2000, reps: REPS, leads: LEADS, seed: 7 });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('repo fixtures and a generated mbox give the same events', async () => {
    const n = await expectSameEvents([tricky, ...goldenEml, join(dir, 'gen.mbox')]);
    expect(n).toBeGreaterThan(2000);
  });

  it('chunk edges: a header block longer than a chunk and than the cut, a file ending in a header', async () => {
    const message = (i: number, extra = '') =>
      `From x@example.com Thu Jan  1 00:00:00 2026\nFrom: rep${i}@acme-sales.com\n${extra}To: lead${i}@company${i}.com\nDate: Mon, 1 Feb 2026 10:00:00 +0100\n\n${'body line\n'.repeat(i * 37)}`;
    const parts = [message(1), message(2, `X-Long: ${'a'.repeat(2_500_000)}\n`), message(3)];
    // A header block between one chunk (1 MiB) and the cut (1 MiB): read whole, across chunks.
    parts.push(message(4, `X-Long: ${'b'.repeat(900_000)}\n`));
    for (let i = 5; i < 400; i++) parts.push(message(i));
    parts.push('From x@example.com Thu Jan  1 00:00:00 2026\nFrom: rep9@acme-sales.com\nTo: lead');
    const file = join(dir, 'edges.mbox');
    writeFileSync(file, parts.join(''));
    expect(await expectSameEvents([file])).toBeGreaterThan(400);
    // The header blocks themselves (a cut block holds what its chunks held) and where they start.
    const blocks = async (read: (path: string) => AsyncGenerator<MboxHeader>) => {
      const out: unknown[] = [];
      for await (const m of read(file)) out.push({ ...m, header: m.header.toString('latin1') });
      return out;
    };
    const reference = await blocks(referenceReadMboxHeaders);
    expect(await blocks(readMboxHeaders)).toEqual(reference);
    // Read with blocking reads (the CLI's capture threads): the same blocks.
    expect(await blocks((path) => readMboxHeaders(path, { blocking: true }))).toEqual(reference);
  });

  it.skipIf(!sharedDataDir)(
    'real mailboxes (Enron mbox and Maildir, .eml corpora, a list archive)',
    async () => {
      const files = [
        ...findFiles(sharedDataPath('enron_mbox')),
        ...findFiles(sharedDataPath('enron_maildir_sample')),
        ...findFiles(sharedDataPath('eml_test_corpora')).filter((f) => f.endsWith('.eml')),
        ...findFiles(sharedDataPath('mailing_list_usrp_users/maildir')),
      ];
      expect(await expectSameEvents(files)).toBeGreaterThan(5000);
    },
    120_000,
  );
});

/** Reps, leads (some sharing an address), accounts, contacts and settings the generated mail meets. */
async function seedWorkspace(db: Kysely<Database>): Promise<void> {
  const now = Date.UTC(2025, 11, 1);
  await db
    .insertInto('reps')
    .values(
      Array.from({ length: REPS }, (_, i) => ({
        external_id: `rep-${i}`,
        name: `Rep ${i}`,
        email: repEmail(i),
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
  await db
    .insertInto('rep_identities')
    .values({ rep_id: 4, kind: 'email', value: 'sales-three@acme-sales.com' })
    .execute();
  const leads = [];
  const accountIds = new Map<number, number>();
  for (let i = 0; i < LEADS; i++) {
    // Every tenth address is no lead: its company is an account, so mail to it matches by domain.
    if (i % 10 === 9) {
      const account = await db
        .insertInto('accounts')
        .values({ external_id: `acc-${i}`, name: `Company ${i}`, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('account_domains')
        .values({ account_id: account.id, domain: `company${i}.com` })
        .execute();
      accountIds.set(i, account.id);
      continue;
    }
    leads.push({
      external_id: `lead-${i}`,
      email: leadEmail(i),
      status: i % 7 === 0 ? 'nurture' : 'mql',
      owner_rep_id: (i % REPS) + 1,
      handed_over_at: i % 3 === 0 ? null : now + i * 1000,
      created_at: now,
      updated_at: now,
    });
    // Some addresses belong to two leads: the tie rule decides and says why.
    if (i % 25 === 0)
      leads.push({
        external_id: `lead-${i}-dup`,
        email: leadEmail(i).toUpperCase(),
        status: 'working',
        owner_rep_id: ((i + 3) % REPS) + 1,
        handed_over_at: now,
        created_at: now,
        updated_at: now,
      });
  }
  await db.insertInto('leads').values(leads).execute();
  await db
    .insertInto('contacts')
    .values([
      { email: leadEmail(50), name: 'Lead and contact', origin: 'import', created_at: now, updated_at: now },
      {
        email: 'someone@company19.com',
        account_id: accountIds.get(19) ?? null,
        origin: 'import',
        created_at: now,
        updated_at: now,
      },
    ])
    .execute();
  await saveSetting(db, 'capture', {
    blocklist: [leadEmail(77)],
    autoContact: { policy: 'sent-to', threshold: 1 },
  });
  await saveSetting(db, 'keep_subjects', true);
}

const summaryView = (s: CaptureSummary) => ({ ...s, rejections: s.rejections, warnings: s.warnings });

describe.each(testEngines())('capture equivalence with the pre-fast-path pipeline on $name', (engine) => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gleaner-equiv-'));
    mkdirSync(join(dir, 'sent'));
    mkdirSync(join(dir, 'sent_items'));
    await writeGeneratedMbox({
      path: join(dir, 'sent/gen.mbox'),
      count: 300,
      reps: REPS,
      leads: LEADS,
      seed: 7,
    });
    // The same messages in a second folder: captured once, counted as duplicates.
    copyFileSync(join(dir, 'sent/gen.mbox'), join(dir, 'sent_items/gen.mbox'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // captureMail --parallel reads and decides in a worker thread: the same store, to the byte.
  type Case = { how: string; parallel: boolean; deferIndexesFrom?: number; session?: boolean };
  const cases: Case[] = [
    { how: 'in one thread', parallel: false },
    { how: 'with a worker thread (captureMail --parallel)', parallel: true },
    // On SQLite the activity indexes are dropped for the run and rebuilt at its end.
    { how: 'with indexes deferred', parallel: false, deferIndexesFrom: 0 },
  ];
  // A PostgreSQL server: `gleaner capture mail` runs on a session of its own and writes participants
  // by COPY on it.
  if (engine.name === 'postgres')
    cases.push(
      { how: 'on a store session (participants by COPY)', parallel: false, session: true },
      { how: 'on a store session with a worker thread', parallel: true, session: true },
    );
  it.each(cases)(
    'stores the same activities, participants, match rules, counters and contacts $how',
    async ({ parallel, deferIndexesFrom, session }: Case) => {
      const store = await engine.open();
      try {
        await seedWorkspace(store.db);
        const paths = [join(dir, 'sent/gen.mbox'), join(dir, 'sent_items/gen.mbox'), tricky, ...goldenEml];
        if (session) expect(store.openSession).toBeDefined();
        let sessions = 0;
        const openSession = async () => {
          sessions += 1;
          return (store.openSession as NonNullable<typeof store.openSession>)();
        };
        const capture = () =>
          parallel || deferIndexesFrom !== undefined || session
            ? captureMail({
                db: store.db,
                paths,
                parallel,
                ...(deferIndexesFrom === undefined ? {} : { deferIndexesFrom }),
                ...(session ? { openSession } : {}),
              })
            : runCapture({ db: store.db, events: readMail({ paths }) });
        // A deferred SQLite capture runs with a smaller page cache: the connection gets its own back.
        const cacheSize = async () =>
          engine.name === 'sqlite'
            ? (await sql<{ cache_size: number }>`pragma cache_size`.execute(store.db)).rows[0]?.cache_size
            : null;
        const cacheBefore = await cacheSize();
        const first = await capture();
        const again = await capture();
        expect(await cacheSize()).toBe(cacheBefore);
        expect(sessions).toBe(session ? 2 : 0);
        const dump = {
          first: summaryView(first),
          again: summaryView(again),
          ...(await dumpCapture(store.db)),
        };
        // One activity, counter or contact per line, so a difference shows as a readable diff.
        const lines = (list: unknown[]) => list.map((x) => JSON.stringify(x)).join(',\n');
        const text =
          `{"first": ${JSON.stringify(dump.first)},\n"again": ${JSON.stringify(dump.again)},\n"activities": [\n${lines(dump.activities)}],\n"leadStats": [\n${lines(dump.leadStats)}],\n"contacts": [\n${lines(dump.contacts)}]}\n`.replaceAll(
            dir,
            '$TMP',
          );
        if (process.env.UPDATE_GOLDEN && engine.name === 'sqlite') writeFileSync(goldenDump, text);
        const expected = JSON.parse(readFileSync(goldenDump, 'utf8'));
        expect(JSON.parse(text)).toEqual(expected);
        // The run exercised what it claims to.
        expect(first.duplicates).toBeGreaterThan(0);
        expect(first.contactsCreated).toBeGreaterThan(0);
        expect(again.captured).toBe(0);
        expect(Object.keys(first.skipped).sort()).toEqual(['blocklisted', 'bulk', 'internal_only', 'no_rep']);
        const rules = new Set(dump.activities.flatMap((a) => a.participants.map((p) => p.match_rule)));
        expect([...rules].sort()).toEqual(['auto-contact', 'domain', 'email', 'rep', null].sort());
        expect(
          dump.activities.some((a) => a.participants.some((p) => String(p.match_note).startsWith('tie'))),
        );
        // Every deferred index is back.
        expect(await store.db.selectFrom('deferred_indexes').selectAll().execute()).toEqual([]);
        if (engine.name === 'sqlite') {
          const indexes = await sql<{
            name: string;
          }>`select name from sqlite_master where type = 'index' and tbl_name in ('activities', 'activity_participants') and sql is not null order by name`.execute(
            store.db,
          );
          expect(indexes.rows.map((r) => r.name)).toEqual([
            'activities_lead_time',
            'activities_rep_time',
            'activities_time',
            'activity_participants_activity',
            'activity_participants_lead',
          ]);
        }
      } finally {
        await store.close();
      }
    },
    60_000,
  );
});

import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPersonalDomain, normaliseEmail } from '../match/normalise.ts';
import { rematch } from '../match/rematch.ts';
import type { Store } from '../store/open-store.ts';
import { dumpCapture, dumpDigest } from '../testing/capture-dump.ts';
import { testEngines } from '../testing/engines.ts';
import { sharedDataDir, sharedDataPath } from '../testing/shared-data.ts';
import { type CaptureSummary, runCapture } from './capture-run.ts';
import { saveSetting } from './capture-settings.ts';
import { readMail } from './mail-files.ts';

const reps = [
  { external_id: 'watson-k', name: 'Kimberly Watson', email: 'kimberly.watson@enron.com' },
  { external_id: 'lokay-m', name: 'Michelle Lokay', email: 'michelle.lokay@enron.com' },
];
const accountDomains = ['questar.com', 'elpaso.com', 'oneok.com', 'williams.com'];
// Pinned figures of this data set with the lead list below.
const LEADS = 74;
const CAPTURED = 512;
const DUPLICATES = 23;
const INTERNAL = 2788;
const NO_REP = 447;
const TOUCHES = 205;
const RESPONSES = 88;
const AUTO_CONTACTS = 5;
// Fingerprint of dumpCapture after the first run, written by the pipeline before the fast path.
const DIGEST = '86f1db70e2a51d0aca303fbbe69c70c4';
const RULES = { none: 1130, 'auto-contact': 24, domain: 28, email: 368, rep: 548 };

/**
 * The lead list: every external address (not enron.com, not a personal provider) that either rep
 * wrote to from a sent folder, one lead per address, owned by the rep who wrote first. The
 * account list: four pipeline customers named in SOURCES.md, by domain.
 */
async function buildLeadList(dir: string): Promise<Map<string, string>> {
  const sentFolders = readdirSync(dir)
    .filter((f) => /\.(sent|_sent_mail|sent_items)\.mbox$/.test(f))
    .map((f) => `${dir}/${f}`);
  const leads = new Map<string, string>();
  for await (const event of readMail({ paths: sentFolders, format: 'mbox' })) {
    if (!('activity' in event)) continue;
    const [from, ...recipients] = event.activity.participants;
    const rep = reps.find((r) => r.email === normaliseEmail(from?.email));
    if (!rep) continue;
    for (const p of recipients) {
      const email = normaliseEmail(p.email);
      if (!email || email.endsWith('@enron.com') || isPersonalDomain(email.split('@')[1] ?? '')) continue;
      // questar.com people are left out on purpose: they become auto-created contacts.
      if (email.endsWith('@questar.com')) continue;
      if (!leads.has(email)) leads.set(email, rep.external_id);
    }
  }
  return leads;
}

describe.skipIf(!sharedDataDir).each(testEngines())('Enron mailboxes on $name', (engine) => {
  let store: Store;
  let first: CaptureSummary;
  let leadCount = 0;
  let digest = '';
  const dir = sharedDataDir ? sharedDataPath('enron_mbox') : '';

  beforeAll(async () => {
    store = await engine.open();
    const now = Date.UTC(2001, 0, 1);
    const repIds = new Map<string, number>();
    for (const r of reps) {
      const row = await store.db
        .insertInto('reps')
        .values({ ...r, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      repIds.set(r.external_id, row.id);
    }
    for (const domain of accountDomains) {
      const account = await store.db
        .insertInto('accounts')
        .values({ external_id: domain, name: domain, domain, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      await store.db.insertInto('account_domains').values({ account_id: account.id, domain }).execute();
    }
    const leads = await buildLeadList(dir);
    leadCount = leads.size;
    await store.db
      .insertInto('leads')
      .values(
        [...leads].map(([email, rep]) => ({
          external_id: email,
          email,
          status: 'working',
          owner_rep_id: repIds.get(rep) ?? null,
          created_at: now,
          updated_at: now,
        })),
      )
      .execute();
    await saveSetting(store.db, 'capture', { autoContact: { policy: 'sent-to', threshold: 1 } });
    first = await runCapture({ db: store.db, events: readMail({ paths: [dir] }) });
    digest = dumpDigest(JSON.parse(JSON.stringify(await dumpCapture(store.db)).replaceAll(dir, '$DATA')));
  }, 60_000);
  afterAll(() => store.close());

  it('reads every message and explains every one not captured', () => {
    expect(leadCount).toBe(LEADS);
    expect(first.read).toBe(3770);
    expect(first.rejected).toBe(0);
    // Pinned from the first run (the lead list above is deterministic).
    expect(first).toMatchObject({
      captured: CAPTURED,
      duplicates: DUPLICATES,
      skipped: { internal_only: INTERNAL, no_rep: NO_REP },
    });
    expect(first.captured + first.duplicates + first.skipped.internal_only! + first.skipped.no_rep!).toBe(
      3770,
    );
  });

  it('stores exactly what the pipeline stored before the fast path (activities, participants, rules, counters)', () => {
    expect(digest).toBe(DIGEST);
  });

  it('folds the same message in sent, sent_items and _sent_mail into one activity', async () => {
    const rows = await store.db.selectFrom('activities').select(['source_key', 'origin']).execute();
    expect(new Set(rows.map((r) => r.source_key)).size).toBe(rows.length);
    // Independently: Date + To pairs that occur in more than one of Lokay's sent folders.
    const seen = new Map<string, Set<string>>();
    for (const f of ['sent', '_sent_mail', 'sent_items']) {
      const text = readFileSync(`${dir}/enron.lokay-m.${f}.mbox`, 'latin1');
      for (const m of text.matchAll(/^Date: (.+)\nFrom: michelle\.lokay@enron\.com\nTo: ([^\n]+)/gm)) {
        const key = `${m[1]}|${m[2]}`;
        seen.set(key, (seen.get(key) ?? new Set()).add(f));
      }
    }
    const copies = [...seen.values()].filter((folders) => folders.size > 1).length;
    expect(copies).toBeGreaterThan(0);
    const again = await runCapture({ db: store.db, events: readMail({ paths: [dir] }) });
    expect(again.captured).toBe(0);
    expect(again.duplicates).toBe(first.captured + first.duplicates);
  });

  it('matches by address and by account domain, and keeps counters in step with activities', async () => {
    const rules = await store.db
      .selectFrom('activity_participants')
      .select(['match_rule', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('match_rule')
      .execute();
    const byRule = Object.fromEntries(rules.map((r) => [r.match_rule ?? 'none', Number(r.n)]));
    expect(byRule).toMatchObject(RULES);
    const touches = await store.db
      .selectFrom('activities')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('is_touch', '=', 1)
      .executeTakeFirstOrThrow();
    const responses = await store.db
      .selectFrom('activities')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('is_response', '=', 1)
      .executeTakeFirstOrThrow();
    const stats = await store.db
      .selectFrom('lead_stats')
      .select((eb) => [
        eb.fn.sum<number>('touches').as('touches'),
        eb.fn.sum<number>('responses').as('responses'),
        eb.fn.sum<number>('emails').as('emails'),
      ])
      .executeTakeFirstOrThrow();
    expect(Number(stats.touches)).toBe(Number(touches.n));
    expect(Number(stats.emails)).toBe(Number(touches.n));
    expect(Number(stats.responses)).toBe(Number(responses.n));
    expect(Number(touches.n)).toBe(TOUCHES);
    expect(Number(responses.n)).toBe(RESPONSES);
  });

  it('auto-creates contacts at a known account for people the reps wrote to', async () => {
    const contacts = await store.db
      .selectFrom('contacts')
      .select(['email', 'account_id', 'origin'])
      .execute();
    expect(first.contactsCreated).toBe(contacts.length);
    expect(contacts.length).toBe(AUTO_CONTACTS);
    expect(contacts.filter((c) => c.email?.endsWith('@questar.com')).length).toBeGreaterThan(0);
    for (const c of contacts) {
      expect(c.origin).toBe('auto');
      expect(accountDomains).toContain(c.email?.split('@')[1]);
      expect(c.account_id).not.toBeNull();
    }
  });

  it('rematch links earlier unmatched mail once a lead gains the address', async () => {
    const unmatched = await store.db
      .selectFrom('activity_participants as p')
      .innerJoin('activities as a', 'a.id', 'p.activity_id')
      .select(['p.email', 'a.id'])
      .where('p.role', '=', 'from')
      .where('a.direction', '=', 'inbound')
      .where('a.lead_id', 'is', null)
      .where('p.rep_id', 'is', null)
      .where('p.lead_id', 'is', null)
      .where('p.contact_id', 'is', null)
      .orderBy('a.id')
      .executeTakeFirstOrThrow();
    const now = Date.now();
    const lead = await store.db
      .insertInto('leads')
      .values({
        external_id: 'late-lead',
        email: unmatched.email,
        status: 'mql',
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const result = await rematch(store.db);
    expect(result.activitiesLinked).toBeGreaterThanOrEqual(1);
    const activity = await store.db
      .selectFrom('activities')
      .select(['lead_id', 'is_response'])
      .where('id', '=', unmatched.id)
      .executeTakeFirstOrThrow();
    expect(activity).toEqual({ lead_id: lead.id, is_response: 1 });
    const stats = await store.db
      .selectFrom('lead_stats')
      .select(['responses'])
      .where('lead_id', '=', lead.id)
      .executeTakeFirstOrThrow();
    expect(stats.responses).toBe(result.activitiesLinked);
    expect((await rematch(store.db)).activitiesLinked).toBe(0);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMatchIndex, identify, matchExternal } from '../match/matcher.ts';
import { emailDomain, isPersonalDomain } from '../match/normalise.ts';
import type { Store } from '../store/open-store.ts';
import { testEngines } from '../testing/engines.ts';
import { sharedDataDir, sharedDataPath } from '../testing/shared-data.ts';
import type { CapturedActivity } from './activity.ts';
import { runCapture } from './capture-run.ts';
import { saveSetting } from './capture-settings.ts';
import { ingestActivities } from './ingest.ts';
import { readMail } from './mail-files.ts';

describe.skipIf(!sharedDataDir)('mailing-list Maildir (usrp-users)', () => {
  let activities: CapturedActivity[] = [];
  beforeAll(async () => {
    activities = [];
    for await (const e of readMail({ paths: [sharedDataPath('mailing_list_usrp_users/maildir')] })) {
      if ('activity' in e) activities.push(e.activity);
    }
  });

  it('every list message is bulk (List-Id / List-Unsubscribe / Precedence)', () => {
    expect(activities).toHaveLength(1500);
    expect(activities.every((a) => a.bulkReason)).toBe(true);
  });

  it('decodes RFC 2047 names in every charset to text without encoded words', () => {
    const names = activities.flatMap((a) => a.participants.map((p) => p.name ?? ''));
    expect(names.some((n) => n.includes('=?'))).toBe(false);
    expect(names).toContain('Maria Muñoz');
    expect(names.filter((n) => /[\u0080-\uffff]/.test(n)).length).toBeGreaterThan(10);
  });

  it('personal-provider senders never match an account, even when the domain is listed as one', () => {
    const senders = [...new Set(activities.map((a) => a.participants[0]?.email ?? ''))];
    const domains = [...new Set(senders.map((s) => emailDomain(s.toLowerCase())))];
    const personal = domains.filter(isPersonalDomain);
    expect(personal).toEqual(expect.arrayContaining(['gmail.com']));
    // Every sender domain is given an account, personal ones too: only company domains may match.
    const index = buildMatchIndex({
      reps: [{ id: 1, email: 'rep@ours.example' }],
      repIdentities: [],
      leads: [],
      contacts: [],
      accountDomains: domains.map((domain, i) => ({ account_id: i + 1, domain })),
      ownDomains: [],
      blocklist: [],
      defaultRegion: 'US',
      openStatuses: ['mql'],
    });
    for (const s of senders) {
      const m = matchExternal(index, identify(index, { email: s }), [1]);
      if (isPersonalDomain(emailDomain(s.toLowerCase()))) expect(m.accountId, s).toBeNull();
      else expect(m.rule, s).toBe('domain');
    }
  });
});

describe.each(testEngines())('JSON ingestion and subjects on $name', (engine) => {
  let store: Store;
  beforeAll(async () => {
    store = await engine.open();
    const now = Date.now();
    await store.db
      .insertInto('reps')
      .values({ external_id: 'r', name: 'Rep', email: 'rep@ours.com', created_at: now, updated_at: now })
      .execute();
    await store.db
      .insertInto('leads')
      .values({ external_id: 'l', email: 'ann@acme.com', status: 'mql', created_at: now, updated_at: now })
      .execute();
  });
  afterAll(() => store.close());

  const email = (key: string, subject: string) => ({
    kind: 'email',
    occurredAt: Date.UTC(2026, 0, 2),
    source: 'api',
    sourceKey: key,
    subject,
    participants: [
      { role: 'from', email: 'Rep@ours.com' },
      { role: 'to', email: 'ann+crm@acme.com', name: 'Ann' },
    ],
  });

  it('validates a batch with the capture schema: bad items rejected by index, good ones stored', async () => {
    const summary = await ingestActivities(store.db, [
      email('k1', 'hello'),
      { kind: 'fax', occurredAt: 1 },
      email('k1', 'again'),
    ]);
    expect(summary).toMatchObject({ read: 3, captured: 1, duplicates: 1, rejected: 1 });
    expect(summary.rejections[0]).toMatchObject({ file: 'request', record: '1' });
    const row = await store.db
      .selectFrom('activities')
      .select(['subject', 'is_touch', 'direction'])
      .where('source_key', '=', 'k1')
      .executeTakeFirstOrThrow();
    // Subjects are dropped unless the workspace keeps them.
    expect(row).toEqual({ subject: null, is_touch: 1, direction: 'outbound' });
  });

  it('keeps subjects when keep_subjects is on', async () => {
    await saveSetting(store.db, 'keep_subjects', true);
    await ingestActivities(store.db, email('k2', 'pricing'));
    const row = await store.db
      .selectFrom('activities')
      .select('subject')
      .where('source_key', '=', 'k2')
      .executeTakeFirstOrThrow();
    expect(row.subject).toBe('pricing');
  });

  it('skips by reason: blocklisted, outside the window, no rep, internal only', async () => {
    await saveSetting(store.db, 'capture', {
      blocklist: ['spam.example'],
      windowStart: Date.UTC(2025, 0, 1),
    });
    const base = email('x', 's');
    const summary = await runCapture({
      db: store.db,
      events: [
        {
          activity: {
            ...base,
            sourceKey: 'b',
            participants: [...base.participants, { role: 'cc', email: 'x@mail.spam.example' }],
          },
        },
        { activity: { ...base, sourceKey: 'w', occurredAt: Date.UTC(2024, 0, 1) } },
        {
          activity: {
            ...base,
            sourceKey: 'n',
            participants: [
              { role: 'from', email: 'a@acme.com' },
              { role: 'to', email: 'b@acme.com' },
            ],
          },
        },
        {
          activity: {
            ...base,
            sourceKey: 'i',
            participants: [
              { role: 'from', email: 'rep@ours.com' },
              { role: 'to', email: 'boss@ours.com' },
            ],
          },
        },
      ] as Parameters<typeof runCapture>[0]['events'],
    });
    expect(summary.skipped).toEqual({ blocklisted: 1, outside_window: 1, no_rep: 1, internal_only: 1 });
  });
});

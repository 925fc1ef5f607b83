import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../store/open-store.ts';
import { type DovecotServer, dovecotAvailable, startDovecot } from '../testing/dovecot.ts';
import { testEngines } from '../testing/engines.ts';
import { sharedDataDir, sharedDataPath } from '../testing/shared-data.ts';
import { runCapture } from './capture-run.ts';
import { captureImap, ImapAccount } from './imap.ts';
import { readMail } from './mail-files.ts';

const files = (dir: string) =>
  readdirSync(dir)
    .sort()
    .map((f) => join(dir, f));

if (!dovecotAvailable())
  console.warn('imap.test.ts skipped: dovecot is not installed (apt-get install dovecot-imapd)');

describe.skipIf(!sharedDataDir || !dovecotAvailable()).each(testEngines())(
  'IMAP capture from Dovecot on $name',
  (engine) => {
    let store: Store;
    let server: DovecotServer;
    let account: ImapAccount;
    const arnold = sharedDataDir ? sharedDataPath('enron_maildir_sample/maildir/arnold-j') : '';
    const inbox = () => files(join(arnold, 'all_documents'));
    const sent = () => files(join(arnold, '_sent_mail'));
    const capture = () => captureImap({ db: store.db, account, password: server.password });

    beforeAll(async () => {
      server = await startDovecot({ seed: { INBOX: inbox(), Sent: sent() } });
      account = ImapAccount.parse({
        host: '127.0.0.1',
        port: server.port,
        tls: false,
        user: server.user,
        passwordEnv: 'UNUSED',
      });
      store = await engine.open();
      const now = Date.now();
      await store.db
        .insertInto('reps')
        .values({
          external_id: 'arnold-j',
          name: 'John Arnold',
          email: 'john.arnold@enron.com',
          created_at: now,
          updated_at: now,
        })
        .execute();
      await store.db
        .insertInto('leads')
        .values({
          external_id: 'lafontaine',
          email: 'slafontaine@globalp.com',
          status: 'working',
          created_at: now,
          updated_at: now,
        })
        .execute();
    }, 30_000);
    afterAll(async () => {
      await store?.close();
      await server?.stop();
    });

    it('captures INBOX and Sent and records a cursor per folder', async () => {
      const { summary, folders } = await capture();
      expect(summary.read).toBe(20);
      expect(folders.map((f) => [f.folder, f.fromUid, f.lastUid, f.reset])).toEqual([
        ['INBOX', 1, 10, false],
        ['Sent', 1, 10, false],
      ]);
      // The same messages read from files give the same activities: nothing new.
      const fromFiles = await runCapture({
        db: store.db,
        events: readMail({ paths: [...inbox(), ...sent()], format: 'eml' }),
      });
      expect(fromFiles.captured).toBe(0);
      expect(fromFiles.duplicates).toBe(summary.captured + summary.duplicates);
      expect(summary.captured).toBeGreaterThan(0);
      const lead = await store.db
        .selectFrom('activities')
        .select('id')
        .where('lead_id', 'is not', null)
        .execute();
      expect(lead.length).toBeGreaterThan(0);
    });

    it('resumes after the last UID: nothing when nothing arrived, only the new mail after delivery', async () => {
      const idle = await capture();
      expect(idle.summary.read).toBe(0);
      const extra = [
        ...files(join(arnold, 'active_international')),
        ...files(join(arnold, '2000_conference')).slice(0, 1),
      ];
      for (const f of extra) server.deliver('INBOX', f);
      const next = await capture();
      expect(next.summary.read).toBe(extra.length);
      expect(next.folders.find((f) => f.folder === 'INBOX')).toMatchObject({
        fromUid: 11,
        lastUid: 10 + extra.length,
        reset: false,
      });
    });

    it('re-reads a folder whose UIDVALIDITY changed, without duplicates', async () => {
      const before = await store.db
        .selectFrom('activities')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      server.setUidValidity('Sent', 4242);
      const { summary, folders } = await capture();
      expect(folders.find((f) => f.folder === 'Sent')).toMatchObject({
        reset: true,
        fromUid: 1,
        uidValidity: '4242',
      });
      expect(summary.read).toBe(10);
      expect(summary.captured).toBe(0);
      const after = await store.db
        .selectFrom('activities')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n));
      const cursor = await store.db
        .selectFrom('capture_cursors')
        .select(['validity', 'position'])
        .where('scope', 'like', '%/Sent')
        .executeTakeFirstOrThrow();
      expect(cursor).toEqual({ validity: '4242', position: '10' });
    });
  },
);

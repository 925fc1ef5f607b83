import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../store/open-store.ts';
import { type DovecotServer, dovecotAvailable, startDovecot } from '../testing/dovecot.ts';
import { testEngines } from '../testing/engines.ts';
import { captureImap, ImapAccount } from './imap.ts';

if (!dovecotAvailable())
  console.warn('imap-tls.test.ts skipped: dovecot is not installed (apt-get install dovecot-imapd)');

const message = (n: number) =>
  [
    'From: Dana Buyer <dana@prospect.test>',
    'To: Rep One <rep.one@seller.test>',
    `Subject: Question ${n}`,
    `Date: Mon, 2 Nov 2026 1${n}:00:00 +0000`,
    `Message-ID: <q${n}@prospect.test>`,
    '',
    'Body is never kept.',
    '',
  ].join('\r\n');

describe.skipIf(!dovecotAvailable())('IMAP capture over TLS from Dovecot', () => {
  let store: Store;
  let server: DovecotServer;
  let dir: string;
  const account = (extra: Record<string, unknown>) =>
    ImapAccount.parse({
      host: '127.0.0.1',
      port: server.port,
      user: server.user,
      passwordEnv: 'UNUSED',
      folders: ['INBOX'],
      ...extra,
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gleaner-imap-tls-'));
    const files = [1, 2].map((n) => {
      const file = join(dir, `${n}.eml`);
      writeFileSync(file, message(n));
      return file;
    });
    server = await startDovecot({ seed: { INBOX: files }, tls: true });
    const sqlite = testEngines()[0];
    if (!sqlite) throw new Error('no engine');
    store = await sqlite.open();
    const now = Date.now();
    await store.db
      .insertInto('reps')
      .values({
        external_id: 'r1',
        name: 'Rep One',
        email: 'rep.one@seller.test',
        created_at: now,
        updated_at: now,
      })
      .execute();
    await store.db
      .insertInto('leads')
      .values({
        external_id: 'l1',
        email: 'dana@prospect.test',
        status: 'working',
        created_at: now,
        updated_at: now,
      })
      .execute();
  }, 30_000);
  afterAll(async () => {
    await store?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a certificate it cannot verify, and says so', async () => {
    await expect(
      captureImap({ db: store.db, account: account({ tls: true }), password: server.password }),
    ).rejects.toThrow(/cannot connect to IMAP 127\.0\.0\.1:\d+ as rep: .*certificate/i);
  });

  it('captures over TLS when the server certificate is trusted through caFile', async () => {
    const { summary } = await captureImap({
      db: store.db,
      account: account({ tls: true, caFile: server.caFile }),
      password: server.password,
    });
    expect(summary).toMatchObject({ read: 2, captured: 2 });
    const matched = await store.db.selectFrom('activities').select(['lead_id', 'rep_id']).execute();
    expect(matched).toHaveLength(2);
    expect(matched.every((a) => a.lead_id !== null && a.rep_id !== null)).toBe(true);
  });
});

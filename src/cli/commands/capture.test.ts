import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImapAccount, NewImapAccount } from '../../capture/imap-accounts.ts';
import { openStore } from '../../store/open-store.ts';
import { type DovecotServer, dovecotAvailable, startDovecot } from '../../testing/dovecot.ts';
import { tempDbPath } from '../../testing/engines.ts';
import { main } from '../main.ts';

function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (t: string) => out.push(t), err: (t: string) => err.push(t) };
  return main(['node', 'gleaner', ...args], { io, env, interactive: false }).then((code) => ({
    code,
    out: out.join(''),
    err: err.join(''),
  }));
}

describe('gleaner capture / activities CLI', () => {
  const ws = tempDbPath();
  beforeAll(async () => {
    const store = await openStore({ url: ws.path });
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
        external_id: 'sl',
        email: 'slafontaine@globalp.com',
        status: 'working',
        created_at: now,
        updated_at: now,
      })
      .execute();
    await store.close();
  });
  afterAll(() => ws.cleanup());

  it('capture mail prints a summary (JSON with --json) and activities list shows how each participant matched', async () => {
    const file = 'test-fixtures/capture/golden/enron-arnold-sent-1.eml';
    const first = await run(['--db', ws.path, 'capture', 'mail', file, '--json']);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.out)).toMatchObject({ read: 1, captured: 1, duplicates: 0, rejected: 0 });
    const again = await run(['--db', ws.path, 'capture', 'mail', file]);
    expect(again.out).toContain('read 1, captured 0, duplicates 1');
    const list = await run(['--db', ws.path, 'activities', 'list', '--json']);
    const rows = JSON.parse(list.out) as Array<Record<string, unknown>>;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      kind: 'email',
      direction: 'outbound',
      touch: 1,
      occurred_at: '2000-12-13T21:09:00Z',
    });
    expect(rows[0]?.participants).toBe(
      'from john.arnold@enron.com → rep 1 (rep); to slafontaine@globalp.com → lead 1 (email)',
    );
    const effort = JSON.parse(
      (await run(['--db', ws.path, 'activities', 'effort', '--by', 'lead', '--json'])).out,
    );
    // One outbound e-mail: the 3-minute default allowance.
    expect(effort).toEqual([
      { id: 1, name: 'slafontaine@globalp.com', activities: 1, touches: 1, responses: 0, effort_minutes: 3 },
    ]);
    const byRep = JSON.parse((await run(['--db', ws.path, 'activities', 'effort', '--json'])).out);
    expect(byRep).toEqual([
      { id: 1, name: 'John Arnold', activities: 1, touches: 1, responses: 0, effort_minutes: 3 },
    ]);
    const unmatched = await run(['--db', ws.path, 'activities', 'list', '--unmatched', '--csv']);
    expect(unmatched.out.trim().split('\n')).toHaveLength(1);
  });

  it('capture calls recognises a call log preset from its header, and says which', async () => {
    const file = 'test-fixtures/capture/aircall-calls.csv';
    const detected = await run(['--db', ws.path, 'capture', 'calls', file, '--json']);
    const named = await run(['--db', ws.path, 'capture', 'calls', file, '--preset', 'aircall', '--json']);
    expect(detected.code).toBe(0);
    const first = JSON.parse(detected.out);
    expect(first.read).toBeGreaterThan(0);
    // The same file by name: every call is already captured.
    expect(JSON.parse(named.out)).toMatchObject({ read: first.read, captured: 0 });
    const text = await run(['--db', ws.path, 'capture', 'calls', file]);
    expect(text.err).toContain('capture calls: detected preset aircall');
  });

  it('bad input exits non-zero with one line', async () => {
    const kind = await run(['--db', ws.path, 'activities', 'list', '--kind', 'fax']);
    expect(kind.code).toBe(2);
    expect(kind.err).toContain('invalid option --kind');
    const calls = await run(['--db', ws.path, 'capture', 'calls', 'x.csv']);
    expect(calls.code).toBe(2);
    expect(calls.err).toContain('cannot read x.csv');
    const other = `${ws.path}.leads.csv`;
    writeFileSync(other, 'external_id,email,status\nL1,a@b.example.com,mql\n');
    const unknown = await run(['--db', ws.path, 'capture', 'calls', other]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain(
      'no calls preset fits this header; unmatched columns: "external_id", "email"',
    );
    expect(unknown.err).toContain('closest presets: aircall (1/6 columns');
    const named = await run(['--db', ws.path, 'capture', 'calls', other, '--preset', 'fax']);
    expect(named.err).toContain('unknown preset "fax"; presets: auto, aircall, technion-call-center');
    const account = `${ws.path}.imap.yaml`;
    writeFileSync(account, 'host: 127.0.0.1\nuser: anna\npassword: secret\n');
    const imap = await run(['--db', ws.path, 'capture', 'imap', '--account', account]);
    expect(imap.code).toBe(2);
    expect(imap.err.split('\n').filter(Boolean)).toHaveLength(1);
    expect(imap.err).not.toContain('secret');
  });
});

describe.skipIf(!dovecotAvailable())('gleaner capture imap --account <stored name> (Dovecot)', () => {
  const ws = tempDbPath();
  const dir = mkdtempSync(join(tmpdir(), 'gleaner-imap-cli-'));
  let server: DovecotServer;
  beforeAll(async () => {
    server = await startDovecot({
      seed: { INBOX: ['test-fixtures/capture/golden/enron-arnold-sent-1.eml'] },
    });
    // The account as the Settings page stores it: the password stays in a file it names.
    const passwordFile = join(dir, 'imap.password');
    writeFileSync(passwordFile, `${server.password}\n`);
    const store = await openStore({ url: ws.path });
    await createImapAccount(store.db, {
      input: NewImapAccount.parse({
        name: 'arnold',
        host: '127.0.0.1',
        port: server.port,
        tls: false,
        user: server.user,
        passwordFile,
        folders: ['INBOX'],
      }),
      now: Date.now(),
    });
    await store.close();
  }, 30_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
    ws.cleanup();
  });

  it('captures with the stored account, and names the account when none has that name', async () => {
    const first = await run(['--db', ws.path, 'capture', 'imap', '--account', 'arnold', '--json']);
    expect(first.err).toBe('');
    expect(JSON.parse(first.out)).toMatchObject({ read: 1 });
    const again = await run(['--db', ws.path, 'capture', 'imap', '--account', 'arnold', '--json']);
    expect(JSON.parse(again.out)).toMatchObject({ read: 0 });
    const missing = await run(['--db', ws.path, 'capture', 'imap', '--account', 'nobody']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('no account file "nobody" and no stored IMAP account of that name');
  });
});

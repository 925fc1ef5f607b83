import { afterEach, describe, expect, it } from 'vitest';
import { sha256 } from '../../server/auth/secrets.ts';
import { openStore } from '../../store/open-store.ts';
import { tempDbPath } from '../../testing/engines.ts';
import { main } from '../main.ts';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

describe('gleaner user add / token create', () => {
  afterEach(() => {
    delete process.env.GLEANER_PASSWORD;
  });

  it('adds a user with the password from the environment, then prints a token once and stores its hash', async () => {
    const ws = tempDbPath();
    try {
      const run = (args: string[]) => {
        const c = capture();
        return main(['node', 'gleaner', '--db', ws.path, ...args], {
          io: c.io,
          env: {},
          interactive: false,
        }).then((code) => ({ code, out: c.out.join(''), err: c.err.join('') }));
      };
      process.env.GLEANER_PASSWORD = 'a very secret password';
      const added = await run(['user', 'add', '--email', 'Ops@Acme.test', '--role', 'admin']);
      expect(added).toMatchObject({ code: 0, out: expect.stringContaining('ops@acme.test (admin)') });
      expect(added.out + added.err).not.toContain('a very secret password');

      const rep = await run(['user', 'add', '--email', 'ana@acme.test', '--role', 'rep']);
      expect(rep.code).toBe(2);
      expect(rep.err).toContain('a rep user needs a rep');
      const badRole = await run(['user', 'add', '--email', 'x@acme.test', '--role', 'owner']);
      expect(badRole.code).toBe(2);

      const token = await run(['token', 'create', '--user', 'ops@acme.test', '--name', 'mail capture']);
      expect(token.code).toBe(0);
      const secret = token.out.trim();
      expect(secret).toMatch(/^glt_[\w-]{43}$/);
      expect(token.err).toContain('not shown again');
      const store = await openStore({ url: ws.path });
      const rows = await store.db.selectFrom('api_tokens').select(['name', 'token_hash']).execute();
      const users = await store.db.selectFrom('users').select(['email', 'password_hash']).execute();
      await store.close();
      expect(rows).toEqual([{ name: 'mail capture', token_hash: sha256(secret) }]);
      expect(users[0]?.password_hash).toMatch(/^scrypt\$32768\$/);
    } finally {
      ws.cleanup();
    }
  });

  it('refuses to run without a password source when there is no terminal', async () => {
    const ws = tempDbPath();
    try {
      const c = capture();
      const code = await main(
        ['node', 'gleaner', '--db', ws.path, 'user', 'add', '--email', 'a@b.test', '--role', 'admin'],
        {
          io: c.io,
          env: {},
          interactive: false,
        },
      );
      expect(code).toBe(2);
      expect(c.err.join('')).toContain('--password-file');
    } finally {
      ws.cleanup();
    }
  });
});

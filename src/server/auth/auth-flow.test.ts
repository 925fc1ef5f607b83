import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../store/open-store.ts';
import { testEngines } from '../../testing/engines.ts';
import { seedTestWorkspace, type TestWorkspace } from '../test-workspace.ts';
import { sha256 } from './secrets.ts';

const json = { 'content-type': 'application/json' };
const activity = (key: string) => ({
  kind: 'email',
  direction: 'outbound',
  source: 'api',
  occurredAt: Date.UTC(2026, 9, 2),
  sourceKey: key,
  subject: 'Intro',
  participants: [
    { role: 'from', email: 'Ana@Seller.test' },
    { role: 'to', email: 'l1@buyer.test' },
  ],
});

describe.each(testEngines())('sessions, CSRF, API tokens and login limits on $name', (engine) => {
  let store: Store;
  let ws: TestWorkspace;
  beforeAll(async () => {
    store = await engine.open();
    ws = await seedTestWorkspace(store);
  });
  afterAll(async () => {
    await store?.close();
  });

  it('sets an httpOnly SameSite=Lax cookie and stores only the hash of the session id', async () => {
    const res = await ws.app.request('/api/login', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ email: 'ADMIN@seller.test', password: ws.password }),
    });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^gleaner_session=[\w-]{43}; /);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    const sessionId = cookie.split(';')[0]!.split('=')[1]!;
    const rows = await store.db.selectFrom('sessions').select('id_hash').execute();
    expect(rows.map((r) => r.id_hash)).toContain(sha256(sessionId));
    expect(rows.map((r) => r.id_hash)).not.toContain(sessionId);
  });

  it('refuses cookie-authenticated writes without the right X-CSRF-Token, and ends sessions on logout', async () => {
    const s = await ws.login(ws.emails.admin);
    const put = (headers: Record<string, string>) =>
      ws.app.request('/api/scoring-rules', {
        method: 'PUT',
        headers: { ...json, cookie: s.cookie, ...headers },
        body: JSON.stringify({ fit: [] }),
      });
    const missing = await put({});
    expect(missing.status).toBe(403);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toContain('CSRF');
    expect((await put({ 'x-csrf-token': 'forged' })).status).toBe(403);
    const other = await ws.login(ws.emails.marketing); // another session's token is no good either
    expect((await put({ 'x-csrf-token': other.csrf })).status).toBe(403);
    expect((await put({ 'x-csrf-token': s.csrf })).status).toBe(200);
    // Reads need no token.
    expect((await ws.app.request('/api/scoring-rules', { headers: { cookie: s.cookie } })).status).toBe(200);

    const out = await ws.app.request('/api/logout', {
      method: 'POST',
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrf },
    });
    expect(out.status).toBe(200);
    expect((await ws.app.request('/api/me', { headers: { cookie: s.cookie } })).status).toBe(401);
  });

  it('ingests activities with a Bearer token (no CSRF), idempotently, and refuses revoked or unknown tokens', async () => {
    const admin = await ws.login(ws.emails.admin);
    const created = await ws.app.request('/api/tokens', {
      method: 'POST',
      headers: { ...json, cookie: admin.cookie, 'x-csrf-token': admin.csrf },
      body: JSON.stringify({ name: 'mail capture' }),
    });
    expect(created.status).toBe(201);
    const { token, id } = (await created.json()) as { token: string; id: number };
    expect(token).toMatch(/^glt_[\w-]{43}$/);
    const stored = await store.db
      .selectFrom('api_tokens')
      .select('token_hash')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(stored.token_hash).toBe(sha256(token));
    const listed = await (await ws.app.request('/api/tokens', { headers: { cookie: admin.cookie } })).text();
    expect(listed).not.toContain(token);

    const bearer = { ...json, authorization: `Bearer ${token}` };
    const batch = { activities: [activity('m-1'), activity('m-2')] };
    const first = await ws.app.request('/api/activities', {
      method: 'POST',
      headers: bearer,
      body: JSON.stringify(batch),
    });
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ read: 2, captured: 2, duplicates: 0, rejected: 0 });
    const again = await ws.app.request('/api/activities', {
      method: 'POST',
      headers: bearer,
      body: JSON.stringify(activity('m-1')),
    });
    expect(await again.json()).toMatchObject({ read: 1, captured: 0, duplicates: 1 });
    const row = await store.db
      .selectFrom('activities')
      .select(['rep_id', 'lead_id', 'is_touch'])
      .where('source_key', '=', 'm-1')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ rep_id: ws.ids.repAna, lead_id: ws.ids.leadAna, is_touch: 1 });

    const bad = await ws.app.request('/api/activities', {
      method: 'POST',
      headers: bearer,
      body: JSON.stringify({ ...activity('m-3'), kind: 'fax' }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { location: { field: string } } }).error.location.field).toBe(
      'body.kind',
    );

    await ws.app.request(`/api/tokens/${id}`, {
      method: 'DELETE',
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
    });
    const revoked = await ws.app.request('/api/activities', {
      method: 'POST',
      headers: bearer,
      body: JSON.stringify(activity('m-4')),
    });
    expect(revoked.status).toBe(401);
    const unknown = await ws.app.request('/api/me', {
      headers: { authorization: 'Bearer glt_not-a-real-token' },
    });
    expect(unknown.status).toBe(401);
  });

  it("a token carries its user's role: a rep's token may not ingest", async () => {
    const admin = await ws.login(ws.emails.admin);
    const users = (await (
      await ws.app.request('/api/users', { headers: { cookie: admin.cookie } })
    ).json()) as {
      users: Array<{ id: number; email: string }>;
    };
    const ana = users.users.find((u) => u.email === ws.emails.rep)!;
    const created = await ws.app.request('/api/tokens', {
      method: 'POST',
      headers: { ...json, cookie: admin.cookie, 'x-csrf-token': admin.csrf },
      body: JSON.stringify({ name: 'ana phone', userId: ana.id }),
    });
    const { token } = (await created.json()) as { token: string };
    const res = await ws.app.request('/api/activities', {
      method: 'POST',
      headers: { ...json, authorization: `Bearer ${token}` },
      body: JSON.stringify(activity('r-1')),
    });
    expect(res.status).toBe(403);
    const me = (await (
      await ws.app.request('/api/me', { headers: { authorization: `Bearer ${token}` } })
    ).json()) as {
      role: string;
      csrfToken: string | null;
    };
    expect(me).toMatchObject({ role: 'rep', csrfToken: null });
  });

  it('rate-limits logins per address + e-mail after 5 failures, even with the right password', async () => {
    const attempt = (email: string, password: string) =>
      ws.app.request('/api/login', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ email, password }),
      });
    for (let i = 0; i < 5; i += 1)
      expect((await attempt(ws.emails.repBen, 'wrong password')).status).toBe(401);
    const limited = await attempt(ws.emails.repBen, ws.password);
    expect(limited.status).toBe(429);
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    // Another e-mail from the same address is not affected.
    expect((await attempt(ws.emails.manager, ws.password)).status).toBe(200);
  });
});

import { gunzipSync } from 'node:zlib';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCherryPickRows } from '../../analytics/cherry-pick/load.ts';
import { buildCherryPickReport } from '../../analytics/cherry-pick/report.ts';
import { defaultReportSettings } from '../../analytics/reports/report-types.ts';
import { runReports } from '../../analytics/reports/run-reports.ts';
import { loadAttractivenessConfig } from '../../attributes/attractiveness.ts';
import { loadConfig } from '../../config/config.ts';
import type { Store } from '../../store/open-store.ts';
import { testEngines } from '../../testing/engines.ts';
import { generateWorkspace, writeWorkspace } from '../../testing/generate-workspace.ts';
import { createServerApp } from '../app.ts';
import { createUser } from '../auth/users.ts';
import { loadServerConfig } from '../server-config.ts';
import { ReportResult } from './reports.types.ts';

const start = Date.UTC(2026, 0, 1);
const end = Date.UTC(2026, 6, 1);
const password = 'reports are for everyone';

describe.each(testEngines())('report endpoints on $name', (engine) => {
  let store: Store;
  let app: ReturnType<typeof createServerApp>['app'];
  let reportsIdle: () => Promise<void>;
  const csrf: Record<string, string> = {};
  let clock = Date.UTC(2026, 7, 1);
  const cookies: Record<string, string> = {};
  beforeAll(async () => {
    store = await engine.open();
    await writeWorkspace(
      store.db,
      generateWorkspace({ seed: 11, leads: 200, reps: 12, activitiesPerLead: 3, start, end }),
    );
    await createUser(store.db, {
      input: { email: 'admin@x.test', role: 'admin', password },
      now: start,
      passwordCost: 1024,
    });
    await createUser(store.db, {
      input: { email: 'mgr@x.test', role: 'manager', password, teamId: 1 },
      now: start,
      passwordCost: 1024,
    });
    const config = loadServerConfig(loadConfig({}), { GLEANER_WEB_ROOT: '/nonexistent-gleaner-web' });
    ({ app, reportsIdle } = createServerApp(config, store, { now: () => clock, logError: () => {} }));
    for (const email of ['admin@x.test', 'mgr@x.test']) {
      const res = await app.request('/api/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      });
      cookies[email] = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
      csrf[email] = ((await res.json()) as { csrfToken: string }).csrfToken;
    }
  });
  afterAll(async () => {
    await store?.close();
  });
  const get = (who: string, path: string) => app.request(path, { headers: { cookie: cookies[who]! } });

  it('answers with the same rows as the report function, as JSON and as CSV', async () => {
    const res = await get('admin@x.test', '/api/reports/coverage?by=source');
    expect(res.status).toBe(200);
    const body = ReportResult.parse(await res.json());
    const [direct] = await runReports(store.db, {
      settings: { ...defaultReportSettings, now: clock, by: 'source' },
      names: ['coverage'],
    });
    expect(body.rows).toEqual(direct!.tables[0]!.rows);
    expect(body.rows.reduce((s, r) => s + Number(r.mqls), 0)).toBeGreaterThan(150);
    expect(body.columns.slice(0, 3)).toEqual(['source', 'mqls', 'properly_followed_up']);

    const csv = await get('admin@x.test', '/api/reports/coverage?by=source&format=csv');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const records = parseCsv(await csv.text(), { columns: true }) as Array<Record<string, string>>;
    expect(records.map((r) => [r.source, Number(r.mqls)])).toEqual(body.rows.map((r) => [r.source, r.mqls]));
  });

  it('answers gzip when asked, with an ETag per encoding, and 304 for an unchanged report', async () => {
    const path = '/api/reports/gap?by=rep';
    const headers = (extra: Record<string, string>) => ({
      headers: { cookie: cookies['admin@x.test']!, ...extra },
    });
    const plain = await app.request(path, headers({}));
    const zipped = await app.request(path, headers({ 'accept-encoding': 'gzip, br' }));
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(plain.headers.get('content-encoding')).toBeNull();
    const plainBytes = Buffer.from(await plain.arrayBuffer());
    expect(gunzipSync(Buffer.from(await zipped.arrayBuffer()))).toEqual(plainBytes);
    const etag = plain.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(zipped.headers.get('etag')).not.toBe(etag);
    expect(plain.headers.get('cache-control')).toBe('private, no-cache');
    const again = await app.request(path, headers({ 'if-none-match': etag! }));
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect((await again.arrayBuffer()).byteLength).toBe(0);
    // Other API answers are never stored.
    expect((await get('admin@x.test', '/api/me')).headers.get('cache-control')).toBe('no-store');
  });

  it("limits a manager's report to their team's reps", async () => {
    const all = ReportResult.parse(await (await get('admin@x.test', '/api/reports/response?by=rep')).json());
    const mine = ReportResult.parse(await (await get('mgr@x.test', '/api/reports/response?by=rep')).json());
    const teamReps = await store.db.selectFrom('reps').select('name').where('team_id', '=', 1).execute();
    const names = new Set(teamReps.map((r) => r.name));
    expect(mine.rows.length).toBeGreaterThan(0);
    expect(mine.rows.length).toBeLessThan(all.rows.length);
    expect(mine.rows.every((r) => names.has(String(r.rep)))).toBe(true);
  });

  it('serves from cache until the data changes: own writes at once, writes elsewhere after a background recompute', async () => {
    const acceptance = async () =>
      ReportResult.parse(await (await get('admin@x.test', '/api/reports/acceptance')).json());
    const first = await acceptance();
    clock += 10;
    const cached = await acceptance();
    expect(cached.generatedAt).toBe(first.generatedAt);
    // A write by another process: seen once the fingerprint is re-read (at most a second later);
    // the request that sees it gets the previous result while the new one is computed.
    await store.db
      .updateTable('leads')
      .set({ status: 'accepted', updated_at: clock })
      .where('status', '=', 'mql')
      .execute();
    clock += 1500;
    const stale = await acceptance();
    expect(stale.generatedAt).toBe(first.generatedAt);
    await reportsIdle();
    const fresh = await acceptance();
    expect(fresh.generatedAt).toBe(clock);
    expect(fresh.dataVersion).not.toBe(first.dataVersion);
    expect(fresh.detail).not.toEqual(first.detail);

    // A write through this server: the next report is computed before answering.
    clock += 10;
    const codes = await (await get('admin@x.test', '/api/reason-codes')).json();
    const put = await app.request('/api/reason-codes', {
      method: 'PUT',
      headers: {
        cookie: cookies['admin@x.test']!,
        'x-csrf-token': csrf['admin@x.test']!,
        'content-type': 'application/json',
      },
      body: JSON.stringify(codes),
    });
    expect(put.status).toBe(200);
    clock += 10;
    const afterOwnWrite = await acceptance();
    expect(afterOwnWrite.generatedAt).toBe(clock);
    expect(afterOwnWrite.dataVersion).not.toBe(fresh.dataVersion);
  });

  it('serves the cherry-pick verdicts the cherry capability computes, per rep and per team', async () => {
    const res = await get('admin@x.test', '/api/reports/cherry-pick?by=team');
    expect(res.status).toBe(200);
    const body = ReportResult.parse(await res.json());
    const direct = buildCherryPickReport({
      rows: await loadCherryPickRows(store.db, { now: clock }),
      config: await loadAttractivenessConfig(store.db),
      by: 'team',
      attributes: ['seniority', 'company'],
      bands: 'auto',
      now: clock,
    });
    expect(body.rows.map((r) => [r.group, r.attribute, r.verdict])).toEqual(
      direct.assessments.map((a) => [a.name, a.attribute, a.verdict]),
    );
    expect(body.rows.every((r) => typeof r.sentence === 'string' && r.sentence.length > 0)).toBe(true);
    expect((await get('admin@x.test', '/api/reports/cherry-pick?by=source')).status).toBe(400);
  });

  it('refuses an unknown grouping and an unknown report with 400', async () => {
    expect((await get('admin@x.test', '/api/reports/coverage?by=planet')).status).toBe(400);
    expect((await get('admin@x.test', '/api/reports/horoscope')).status).toBe(400);
  });
});

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../store/open-store.ts';
import { testEngines } from '../../testing/engines.ts';
import { leadsCsv, seedTestWorkspace, T0, type TestWorkspace } from '../test-workspace.ts';
import { ImportRun, ImportRunList } from './imports.types.ts';
import { LeadDetail, LeadList } from './leads.types.ts';
import { Queue } from './queue.types.ts';
import { SlaPolicyList } from './settings.types.ts';

describe.each(testEngines())('leads, lead detail and queue actions on $name', (engine) => {
  let store: Store;
  let ws: TestWorkspace;
  const as: Record<string, { cookie: string; csrf: string }> = {};
  beforeAll(async () => {
    store = await engine.open();
    ws = await seedTestWorkspace(store);
    for (const [who, email] of Object.entries(ws.emails)) as[who] = await ws.login(email);
  });
  afterAll(async () => {
    await store?.close();
  });
  const get = async (who: string, path: string) => {
    const res = await ws.app.request(path, { headers: { cookie: as[who]!.cookie } });
    return { status: res.status, body: (await res.json()) as unknown };
  };
  const ids = (body: unknown) => LeadList.parse(body).items.map((l) => l.externalId);
  /** POST /api/imports as the admin (202), then the run once the import has finished. */
  const upload = async (form: { kind: string; preset?: string; name: string; body: string }) => {
    const data = new FormData();
    data.set('kind', form.kind);
    if (form.preset) data.set('preset', form.preset);
    data.set('file', new File([form.body], form.name, { type: 'text/csv' }));
    const res = await ws.app.request('/api/imports', {
      method: 'POST',
      headers: { cookie: as.admin!.cookie, 'x-csrf-token': as.admin!.csrf },
      body: data,
    });
    expect(res.status).toBe(202);
    const started = ImportRun.parse(await res.json());
    await ws.importsIdle();
    return { started, run: ImportRun.parse((await get('admin', `/api/imports/${started.id}`)).body) };
  };

  it('shows each role exactly the leads it may see (reps and managers never the nurture pool)', async () => {
    expect(ids((await get('admin', '/api/leads?sort=name')).body)).toEqual(['L1', 'L2', 'L3', 'L4', 'L5']);
    expect(ids((await get('marketing', '/api/leads?sort=name')).body)).toEqual([
      'L1',
      'L2',
      'L3',
      'L4',
      'L5',
    ]);
    expect(ids((await get('manager', '/api/leads?sort=name')).body)).toEqual(['L1', 'L2', 'L5']);
    expect(ids((await get('rep', '/api/leads?sort=name')).body)).toEqual(['L1', 'L5']);
    expect(ids((await get('repBen', '/api/leads?sort=name')).body)).toEqual(['L2']);
    // Asking for another rep's leads or the nurture pool explicitly changes nothing.
    expect(ids((await get('rep', `/api/leads?owner=${ws.ids.repBen}`)).body)).toEqual([]);
    expect(ids((await get('rep', '/api/leads?status=nurture')).body)).toEqual([]);
  });

  it('filters by status, owner, source, campaign and since; sorts and pages', async () => {
    expect(ids((await get('admin', '/api/leads?status=mql,working&sort=-score')).body)).toEqual([
      'L1',
      'L3',
      'L2',
    ]);
    expect(ids((await get('admin', `/api/leads?owner=${ws.ids.repAna}&sort=score`)).body)).toEqual([
      'L4',
      'L1',
      'L5',
    ]);
    expect(ids((await get('admin', '/api/leads?source=web&sort=name')).body)).toEqual(['L2', 'L3']);
    expect(ids((await get('admin', '/api/leads?campaign=autumn')).body)).toEqual([]);
    expect(ids((await get('admin', `/api/leads?since=${T0 + 1500}&sort=handed_over_at`)).body)).toEqual([
      'L2',
      'L3',
    ]);
    expect(ids((await get('admin', '/api/leads?since=2026-10-01&sort=-handed_over_at')).body)).toEqual([
      'L3',
      'L2',
      'L1',
      'L5',
    ]);
    const page2 = LeadList.parse((await get('admin', '/api/leads?sort=name&page=2&pageSize=2')).body);
    expect(page2).toMatchObject({ total: 5, page: 2, pageSize: 2 });
    expect(page2.items.map((l) => l.externalId)).toEqual(['L3', 'L4']);
    const bad = await get('admin', '/api/leads?status=lost');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: 'bad_input', location: { field: 'query.status.0' } } });
  });

  it('returns a lead with its timeline, the participants’ match rules and its events', async () => {
    const token = await ws.app.request('/api/tokens', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        cookie: as.admin!.cookie,
        'x-csrf-token': as.admin!.csrf,
      },
      body: JSON.stringify({ name: 'capture' }),
    });
    const { token: secret } = (await token.json()) as { token: string };
    const post = await ws.app.request('/api/activities', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
      body: JSON.stringify({
        kind: 'call',
        direction: 'outbound',
        occurredAt: T0 + 5000,
        endedAt: T0 + 5000 + 240_000,
        durationSeconds: 240,
        source: 'calls',
        sourceKey: 'dialer-1',
        disposition: 'connected',
        participants: [
          { role: 'caller', email: 'ana@seller.test' },
          { role: 'callee', email: 'l1@buyer.test', phone: '+14155550100' },
        ],
      }),
    });
    expect(post.status).toBe(200);
    const detail = LeadDetail.parse((await get('rep', `/api/leads/${ws.ids.leadAna}`)).body);
    expect(detail.lead).toMatchObject({
      externalId: 'L1',
      ownerRepName: 'Ana Alves',
      status: 'mql',
      score: 80,
    });
    expect(detail.timeline).toHaveLength(1);
    expect(detail.timeline[0]).toMatchObject({
      kind: 'call',
      durationSeconds: 240,
      isTouch: true,
      disposition: 'connected',
    });
    expect(detail.timeline[0]!.participants.map((p) => [p.role, p.matchRule, p.repId, p.leadId])).toEqual([
      ['caller', 'rep', ws.ids.repAna, null],
      ['callee', 'email', null, ws.ids.leadAna],
    ]);
    // The SLA engine's explanation (built-in default policies: nothing stored in this workspace).
    expect(['pending', 'at_risk', 'breached']).toContain(detail.sla?.state);
    expect(detail.sla?.policy).toEqual(expect.any(String));
    expect(detail.sla?.reasons.length).toBeGreaterThan(0);
    const nurture = LeadDetail.parse((await get('admin', `/api/leads/${ws.ids.leadNurture}`)).body);
    expect(nurture.sla).toBeNull();
  });

  it('records queue actions as lead events with reasons, and refuses impossible transitions', async () => {
    const act = (who: string, leadId: number, body: unknown) =>
      ws.app.request(`/api/leads/${leadId}/actions`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          cookie: as[who]!.cookie,
          'x-csrf-token': as[who]!.csrf,
        },
        body: JSON.stringify(body),
      });
    const noReason = await act('repBen', ws.ids.leadBen, { action: 'skip' });
    expect(noReason.status).toBe(400);
    const skip = await act('repBen', ws.ids.leadBen, {
      action: 'skip',
      reasonCode: 'waiting_on_reply',
      reasonText: 'asked to call next week',
    });
    expect(await skip.json()).toMatchObject({ action: 'skip', fromStatus: 'working', toStatus: 'working' });
    const accept = await act('manager', ws.ids.leadAna, { action: 'accept' });
    expect(await accept.json()).toMatchObject({ fromStatus: 'mql', toStatus: 'accepted' });
    expect((await act('rep', ws.ids.leadAna, { action: 'accept' })).status).toBe(409);
    const disq = await act('repBen', ws.ids.leadBen, { action: 'disqualify', reasonCode: 'no_budget' });
    expect(disq.status).toBe(200);
    const detail = LeadDetail.parse((await get('admin', `/api/leads/${ws.ids.leadBen}`)).body);
    expect(detail.lead).toMatchObject({ status: 'disqualified', dispositionReason: 'no_budget' });
    expect(detail.events.map((e) => [e.kind, e.reasonCode, e.reasonText])).toEqual([
      ['skipped', 'waiting_on_reply', 'asked to call next week'],
      ['disqualified', 'no_budget', null],
    ]);
  });

  it('validates SLA policies with the SLA engine’s schema and stores them in order', async () => {
    const put = (body: unknown) =>
      ws.app.request('/api/sla-policies', {
        method: 'PUT',
        headers: {
          'content-type': 'application/json',
          cookie: as.admin!.cookie,
          'x-csrf-token': as.admin!.csrf,
        },
        body: JSON.stringify(body),
      });
    const before = SlaPolicyList.parse((await get('marketing', '/api/sla-policies')).body);
    expect(before.origin).toBe('built-in default');
    const bad = await put({
      policies: [{ name: 'x', first_touch: { within_hours: -1 }, attempts: { touches: 1 }, window_days: 5 }],
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      error: { location: { field: 'body.policies.0.first_touch.within_hours' } },
    });
    const hot = {
      name: 'hot',
      match: { sources: ['webinar'] },
      first_touch: { within_hours: 1 },
      attempts: { touches: 3 },
      window_days: 7,
    };
    const rest = {
      name: 'rest',
      first_touch: { within_hours: 48 },
      attempts: { touches: 2 },
      window_days: 10,
    };
    expect((await put({ policies: [rest, hot] })).status).toBe(400); // the default must come last
    expect((await put({ policies: [hot, rest] })).status).toBe(200);
    const after = SlaPolicyList.parse((await get('manager', '/api/sla-policies')).body);
    expect(after.origin).toBe('workspace');
    expect(
      after.policies.map((p) => [p.position, p.definition.name, p.definition.first_touch.within_hours]),
    ).toEqual([
      [0, 'hot', 1],
      [1, 'rest', 48],
    ]);
  });

  it('imports an uploaded CSV through the import capability and serves its rejected rows', async () => {
    const csv = `${leadsCsv(1)}\nN2,Bo,Ray,bo@newco.test,VP,NewCo,newco.test,Software,120,DE,web,spring,not-a-score,2026-10-01T09:00:00Z,mql,ana\n`;
    const { started, run } = await upload({
      kind: 'leads',
      preset: 'gleaner-leads',
      name: 'upload.csv',
      body: csv,
    });
    expect(started).toMatchObject({ kind: 'leads', file: 'upload.csv' });
    expect(run).toMatchObject({
      id: started.id,
      kind: 'leads',
      status: 'done',
      progress: null,
      rejectsAvailable: true,
      summary: { read: 2, inserted: 1, rejected: 1 },
    });
    // Server paths never leave the server.
    expect(run.summary).not.toHaveProperty('file');
    expect(run.summary).not.toHaveProperty('rejectsFile');
    const listed = ImportRunList.parse((await get('admin', '/api/imports')).body);
    expect(listed.runs[0]?.id).toBe(run.id);
    const rejects = await ws.app.request(`/api/imports/${run.id}/rejects`, {
      headers: { cookie: as.admin!.cookie },
    });
    expect(rejects.status).toBe(200);
    const lines = (await rejects.text()).trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^3,score,/);
    const lead = await store.db
      .selectFrom('leads')
      .select(['email', 'score'])
      .where('external_id', '=', 'N1')
      .executeTakeFirstOrThrow();
    expect(lead).toEqual({ email: 'ada1@newco.test', score: 71 });
  });

  it('captures an uploaded call log with the preset its header names, and records a header none fits as failed', async () => {
    const aircall = readFileSync('test-fixtures/capture/aircall-calls.csv', 'utf8');
    const rows = aircall.trim().split('\n').length - 1;
    expect((await upload({ kind: 'calls', name: 'calls.csv', body: aircall })).run).toMatchObject({
      kind: 'calls',
      preset: 'aircall',
      status: 'done',
      summary: { read: rows },
    });
    const failed = (await upload({ kind: 'calls', name: 'leads.csv', body: `${leadsCsv(1)}\n` })).run;
    expect(failed.status).toBe('failed');
    expect(JSON.stringify(failed.summary)).toContain('no calls preset fits this header');
  });

  it("orders a rep's queue by score and hides company and title in blind mode", async () => {
    const queue = Queue.parse((await get('rep', '/api/queue?blind=1')).body);
    expect(queue.repId).toBe(ws.ids.repAna);
    expect(queue.items.every((i) => i.company === null && i.title === null && i.email === null)).toBe(true);
    expect((await get('rep', `/api/queue?rep=${ws.ids.repBen}`)).status).toBe(404);
    // Outside blind mode each item carries the lead as stored: source, hand-over time, e-mail.
    const open = Queue.parse((await get('rep', '/api/queue')).body);
    expect(open.items.length).toBeGreaterThan(0);
    for (const item of open.items) {
      const stored = await store.db
        .selectFrom('leads')
        .select(['email', 'source', 'campaign', 'handed_over_at'])
        .where('id', '=', item.id)
        .executeTakeFirstOrThrow();
      expect([item.email, item.source, item.campaign, item.handedOverAt]).toEqual([
        stored.email,
        stored.source,
        stored.campaign,
        stored.handed_over_at,
      ]);
    }
  });
});

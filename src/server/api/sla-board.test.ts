import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../store/open-store.ts';
import { testEngines } from '../../testing/engines.ts';
import { seedTestWorkspace, T0, type TestWorkspace } from '../test-workspace.ts';
import { SlaBoard } from './leads.types.ts';

const HOUR = 3_600_000;

describe.each(testEngines())('SLA board on $name', (engine) => {
  let store: Store;
  let ws: TestWorkspace;
  let now = T0 + 24 * HOUR;
  const as: Record<string, { cookie: string; csrf: string }> = {};
  beforeAll(async () => {
    store = await engine.open();
    ws = await seedTestWorkspace(store, { now: () => now });
  });
  // Sessions expire on the server's clock: sign in again at each moment the test looks from.
  const at = async (time: number) => {
    now = time;
    for (const [who, email] of Object.entries(ws.emails)) as[who] = await ws.login(email);
  };
  afterAll(async () => {
    await store?.close();
  });
  const board = async (who: string, query = '') => {
    const res = await ws.app.request(`/api/sla-board${query}`, { headers: { cookie: as[who]!.cookie } });
    expect(res.status).toBe(200);
    return SlaBoard.parse(await res.json());
  };
  const rows = (b: SlaBoard) => b.items.map((i) => `${i.lead.externalId} ${i.state} ${i.rule}`);

  it('shows a lead coming up to its first-touch deadline as at risk, to whoever may see it', async () => {
    await at(T0 + 24 * HOUR);
    const b = await board('admin');
    expect(rows(b)).toEqual(['L1 at_risk first_touch']);
    expect([b.atRisk, b.breached, b.total]).toEqual([1, 0, 1]);
    // L1 (score 80) falls under the hot-lead policy: first touch within 24 wall-clock hours of hand-over.
    expect(b.items[0]?.deadlineAt).toBe(T0 + 1000 + 24 * HOUR);
    expect(rows(await board('manager'))).toEqual(['L1 at_risk first_touch']);
    expect(rows(await board('rep'))).toEqual(['L1 at_risk first_touch']);
    expect(rows(await board('repBen'))).toEqual([]);
    // The source filter offers the sources of the open leads in view.
    expect(b.sources).toEqual(['web', 'webinar']);
    expect((await board('rep')).sources).toEqual(['webinar']);
  });

  it("lists breached leads latest deadline first, each broken rule in words, within each role's view", async () => {
    await at(T0 + 10 * 24 * HOUR);
    const b = await board('admin');
    expect(rows(b)).toEqual(['L2 breached max_gap', 'L3 breached first_touch', 'L1 breached first_touch']);
    expect([b.atRisk, b.breached]).toEqual([0, 3]);
    const l1 = b.items.find((i) => i.lead.externalId === 'L1');
    expect(l1?.breaches.map((x) => x.text)).toEqual([
      'no touch at all, 9 days past the first-touch deadline',
    ]);
    expect(l1?.deadlineAt).toBe(T0 + 1000 + 24 * HOUR);
    expect(b.items[0]?.breaches[0]?.text).toMatch(
      /^a gap between touches ran 3 days over the allowed 7 days$/,
    );
    // The closed lead (L5) and the nurture pool (L4) are never on the board.
    expect(rows(await board('manager'))).toEqual(['L2 breached max_gap', 'L1 breached first_touch']);
    expect(rows(await board('rep'))).toEqual(['L1 breached first_touch']);
    expect(rows(await board('repBen'))).toEqual(['L2 breached max_gap']);
    // Filters narrow the caller's view and never widen it.
    expect(rows(await board('admin', '?source=web'))).toEqual([
      'L2 breached max_gap',
      'L3 breached first_touch',
    ]);
    expect(rows(await board('admin', '?state=at_risk'))).toEqual([]);
    expect(rows(await board('admin', `?owner=${ws.ids.repCid}`))).toEqual(['L3 breached first_touch']);
    expect(rows(await board('rep', `?owner=${ws.ids.repCid}`))).toEqual([]);
    expect(rows(await board('admin', '?pageSize=1&page=2'))).toEqual(['L3 breached first_touch']);
  });

  it('takes a touch captured through the server into account at once (same minute)', async () => {
    await at(T0 + 24 * HOUR);
    expect(rows(await board('admin'))).toEqual(['L1 at_risk first_touch']);
    const post = await ws.app.request('/api/activities', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        cookie: as.admin!.cookie,
        'x-csrf-token': as.admin!.csrf,
      },
      body: JSON.stringify({
        kind: 'call',
        direction: 'outbound',
        occurredAt: T0 + 23 * HOUR,
        durationSeconds: 300,
        source: 'calls',
        sourceKey: 'board-1',
        disposition: 'connected',
        participants: [
          { role: 'caller', email: 'ana@seller.test' },
          { role: 'callee', email: 'l1@buyer.test' },
        ],
      }),
    });
    expect(post.status).toBe(200);
    // First touch in time: L1's next deadline (the 3-day gap) is outside the warning window.
    expect(rows(await board('admin'))).toEqual([]);
  });

  it('rejects a bad query with 400', async () => {
    await at(T0 + 24 * HOUR);
    const res = await ws.app.request('/api/sla-board?state=late', { headers: { cookie: as.admin!.cookie } });
    expect(res.status).toBe(400);
  });
});

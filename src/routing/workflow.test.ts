import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyTransition } from '../lifecycle/apply.ts';
import { feedbackReport } from '../lifecycle/feedback.ts';
import { handOverCrossingLeads, MQL_BAR_KEY } from '../scoring/nurture.ts';
import { recomputeScores, saveScoringRules } from '../scoring/recompute.ts';
import { parseScoringRules } from '../scoring/rules.ts';
import { writeSetting } from '../settings/workspace-settings.ts';
import { evaluateLeads } from '../sla/evaluate-leads.ts';
import type { Store } from '../store/open-store.ts';
import { testEngines } from '../testing/engines.ts';
import { actOnQueueLead, openNextLead, QUEUE_KEY, repQueue, skipLead } from './queue.ts';
import { routeNewLeads } from './route.ts';
import { ROUTING_KEY } from './rules.ts';

const DAY = 86_400_000;
const t0 = Date.UTC(2026, 10, 2, 9);
const now = t0 + 10 * DAY;
const rules = parseScoringRules(readFileSync('test-fixtures/scoring/rules.example.yaml', 'utf8'));

describe.each(testEngines())('nurture, hand-over, routing and the work queue on $name', (engine) => {
  let store: Store;
  const ids: Record<string, number> = {};
  const reps: Record<string, number> = {};

  beforeAll(async () => {
    store = await engine.open();
    const db = store.db;
    for (const [ext, active, hours] of [
      ['rep-anna', 1, 160],
      ['rep-ben', 1, 160],
      ['rep-cleo', 0, 160],
    ] as const) {
      const r = await db
        .insertInto('reps')
        .values({
          external_id: ext,
          name: ext,
          active,
          monthly_capacity_hours: hours,
          created_at: t0,
          updated_at: t0,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      reps[ext] = r.id;
    }
    const account = await db
      .insertInto('accounts')
      .values({
        external_id: 'A-1',
        name: 'Owned Corp',
        industry: 'Software',
        owner_rep_id: reps['rep-ben']!,
        created_at: t0,
        updated_at: t0,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const leads = [
      { external_id: 'N-vp', status: 'nurture', title: 'VP Sales', industry: 'Software', company: 'Globex' },
      { external_id: 'N-low', status: 'nurture', title: 'Intern', industry: 'Retail', company: 'Tiny Shop' },
      { external_id: 'N-demo', status: 'nurture', title: 'Analyst', industry: 'Retail', company: 'Demo Ltd' },
      { external_id: 'R-low', status: 'recycled', title: 'Clerk', industry: null, company: 'Old Co' },
      {
        external_id: 'M-owned',
        status: 'mql',
        title: 'CTO',
        industry: null,
        company: 'Owned Corp',
        account_id: account.id,
        handed_over_at: t0,
      },
    ];
    for (const l of leads) {
      const r = await db
        .insertInto('leads')
        .values({ ...l, created_at: t0, updated_at: t0 })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids[l.external_id] = r.id;
    }
    await db
      .insertInto('lead_events')
      .values([
        { lead_id: ids['N-demo']!, kind: 'demo_request', occurred_at: now - 30 * DAY, actor: 'import' },
        { lead_id: ids['N-vp']!, kind: 'web_visit', occurred_at: now, actor: 'import' },
        { lead_id: ids['N-low']!, kind: 'web_visit', occurred_at: now - 60 * DAY, actor: 'import' },
      ])
      .execute();
    await saveScoringRules(db, { rules, now });
    await writeSetting(db, { key: MQL_BAR_KEY, value: { threshold: 30, events: ['demo_request'] }, now });
    await writeSetting(db, { key: ROUTING_KEY, value: { expectedEffortMinutes: 60 }, now });
  });
  afterAll(async () => {
    await store?.close();
  });

  it('recomputes fit, behaviour and score in batches, keeping both parts', async () => {
    const result = await recomputeScores(store.db, { now, batchSize: 2 });
    expect(result).toEqual({ leads: 5, changed: 5 });
    const rows = await store.db
      .selectFrom('leads')
      .select(['external_id', 'fit_score', 'behaviour_score', 'score'])
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { external_id: 'N-vp', fit_score: 30, behaviour_score: 2, score: 32 }, // VP 20 + Software 10; a visit today
      { external_id: 'N-low', fit_score: 0, behaviour_score: 0.5, score: 0.5 }, // a visit 60 days ago: 2 × ¼
      { external_id: 'N-demo', fit_score: 0, behaviour_score: 15, score: 15 }, // demo request a month ago: 30 × ½
      { external_id: 'R-low', fit_score: 0, behaviour_score: 0, score: 0 },
      { external_id: 'M-owned', fit_score: 35, behaviour_score: 0, score: 35 }, // CTO 25 + account industry Software 10
    ]);
  });

  it('hands over nurture leads that cross the MQL bar, with the reason as a lead event; the rest stay in nurture', async () => {
    const result = await handOverCrossingLeads(store.db, { now });
    expect(result.checked).toBe(4);
    expect(result.handedOver.sort()).toEqual([ids['N-vp']!, ids['N-demo']!].sort());
    const leads = await store.db
      .selectFrom('leads')
      .select(['external_id', 'status', 'handed_over_at'])
      .orderBy('id')
      .execute();
    expect(leads.map((l) => [l.external_id, l.status, l.handed_over_at])).toEqual([
      ['N-vp', 'mql', now],
      ['N-low', 'nurture', null],
      ['N-demo', 'mql', now],
      ['R-low', 'recycled', null],
      ['M-owned', 'mql', t0],
    ]);
    const events = await store.db
      .selectFrom('lead_events')
      .select(['lead_id', 'from_status', 'to_status', 'reason_code', 'data', 'actor'])
      .where('kind', '=', 'handed_over')
      .orderBy('lead_id')
      .execute();
    expect(events).toEqual([
      {
        lead_id: ids['N-vp'],
        from_status: 'nurture',
        to_status: 'mql',
        reason_code: 'mql_bar_score',
        data: JSON.stringify({ score: 32, threshold: 30 }),
        actor: 'system',
      },
      {
        lead_id: ids['N-demo'],
        from_status: 'nurture',
        to_status: 'mql',
        reason_code: 'mql_bar_event',
        data: JSON.stringify({ event: 'demo_request' }),
        actor: 'system',
      },
    ]);
  });

  it('routes new MQLs only (never nurture), account owner first, skipping the inactive rep, recording why', async () => {
    const result = await routeNewLeads(store.db, { now });
    const byLead = Object.fromEntries(result.assigned.map((a) => [a.externalId, a]));
    expect(Object.keys(byLead).sort()).toEqual(['M-owned', 'N-demo', 'N-vp']);
    expect(byLead['M-owned']).toMatchObject({ rep: 'rep-ben', reason: 'account_owner' });
    expect(result.assigned.map((a) => a.rep)).not.toContain('rep-cleo');
    expect(new Set([byLead['N-vp']!.rep, byLead['N-demo']!.rep])).toEqual(new Set(['rep-anna', 'rep-ben']));
    expect(result.overload).toBeNull();
    const events = await store.db
      .selectFrom('lead_events')
      .selectAll()
      .where('kind', '=', 'assigned')
      .execute();
    expect(events).toHaveLength(3);
    const owned = events.find((e) => e.lead_id === ids['M-owned'])!;
    expect(owned.actor).toBe('router');
    expect(JSON.parse(owned.data!)).toMatchObject({
      rep: 'rep-ben',
      rule: 'account_owner',
      free_minutes_before: 4800,
    });
    // A second run finds nothing new to route.
    expect((await routeNewLeads(store.db, { now })).assigned).toEqual([]);
  });

  it("lists each rep's queue by SLA deadline then score, with no nurture or recycled lead on any queue", async () => {
    const all = [];
    for (const repId of Object.values(reps)) all.push(...(await repQueue(store.db, { repId, now })).items);
    expect(all.map((i) => i.externalId).sort()).toEqual(['M-owned', 'N-demo', 'N-vp']);
    const ben = (await repQueue(store.db, { repId: reps['rep-ben']!, now })).items;
    // M-owned was handed over at t0 (10 days ago): its first-touch deadline, from the SLA engine, is
    // overdue and comes first.
    const [sla] = await evaluateLeads(store.db, { now, leadIds: [ids['M-owned']!] });
    expect(sla!.first_touch_due_at).toBeLessThan(now);
    expect(ben[0]).toMatchObject({
      externalId: 'M-owned',
      overdue: true,
      deadline: sla!.first_touch_due_at,
      slaState: 'breached',
      company: 'Owned Corp',
    });
    expect(ben.map((i) => i.deadline)).toEqual([...ben.map((i) => i.deadline)].sort((a, b) => a! - b!));
  });

  it('blind mode hides company and title until the rep opens the next lead', async () => {
    await writeSetting(store.db, { key: QUEUE_KEY, value: { blind: true }, now });
    const ben = (await repQueue(store.db, { repId: reps['rep-ben']!, now })).items;
    expect(ben.every((i) => i.company === null && i.title === null && i.hidden)).toBe(true);
    const opened = await openNextLead(store.db, { repId: reps['rep-ben']!, now });
    expect(opened).toMatchObject({
      externalId: 'M-owned',
      company: 'Owned Corp',
      title: 'CTO',
      hidden: false,
    });
    await writeSetting(store.db, { key: QUEUE_KEY, value: { blind: false }, now });
  });

  it('skipping needs a reason code and records a skipped event with the lead that was on top', async () => {
    const repId = reps['rep-ben']!;
    const { items } = await repQueue(store.db, { repId, now });
    const top = items[0]!;
    await expect(
      skipLead(store.db, { repId, leadId: top.leadId, reasonCode: undefined, now }),
    ).rejects.toThrow(/needs a reason code/);
    await expect(
      skipLead(store.db, { repId, leadId: ids['N-low']!, reasonCode: 'time_zone', now }),
    ).rejects.toThrow(/not in this rep's queue/);
    await skipLead(store.db, { repId, leadId: top.leadId, reasonCode: 'time_zone', note: 'Asia hours', now });
    const event = await store.db
      .selectFrom('lead_events')
      .selectAll()
      .where('kind', '=', 'skipped')
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({
      lead_id: top.leadId,
      reason_code: 'time_zone',
      reason_text: 'Asia hours',
      actor: `rep:${repId}`,
    });
    expect(JSON.parse(event.data!)).toMatchObject({ position: 1, top_lead_id: top.leadId });
  });

  it('accept, reject (reason and category) and disqualify (after contact) write lead events; feedback counts them per campaign', async () => {
    const owner = async (ext: string) =>
      (
        await store.db
          .selectFrom('leads')
          .select('owner_rep_id')
          .where('external_id', '=', ext)
          .executeTakeFirstOrThrow()
      ).owner_rep_id!;
    await store.db.updateTable('leads').set({ campaign: 'spring-webinar', source: 'webinar' }).execute();
    const demoOwner = await owner('N-demo');
    await expect(
      actOnQueueLead(store.db, { repId: demoOwner, leadId: ids['N-demo']!, action: 'reject', now }),
    ).rejects.toThrow(/needs --reason/);
    const rejected = await actOnQueueLead(store.db, {
      repId: demoOwner,
      leadId: ids['N-demo']!,
      action: 'reject',
      reasonCode: 'not_icp',
      now,
    });
    expect(rejected).toMatchObject({ toStatus: 'rejected', category: 'definitional' });

    const ben = reps['rep-ben']!;
    await actOnQueueLead(store.db, { repId: ben, leadId: ids['M-owned']!, action: 'accept', now });
    await expect(
      actOnQueueLead(store.db, {
        repId: ben,
        leadId: ids['M-owned']!,
        action: 'disqualify',
        reasonCode: 'no_budget',
        now,
      }),
    ).rejects.toThrow(/after contact/);
    await store.db
      .insertInto('lead_stats')
      .values({ lead_id: ids['M-owned']!, touches: 2, updated_at: now })
      .execute();
    await actOnQueueLead(store.db, {
      repId: ben,
      leadId: ids['M-owned']!,
      action: 'disqualify',
      reasonCode: 'no_budget',
      now,
    });
    // A lead the rep does not own is not in their queue.
    const other = (await owner('N-vp')) === ben ? reps['rep-anna']! : ben;
    await expect(
      actOnQueueLead(store.db, { repId: other, leadId: ids['N-vp']!, action: 'accept', now }),
    ).rejects.toThrow(/not in this rep's queue/);

    const rejectedLater = await store.db
      .selectFrom('leads')
      .select(['status', 'disposition_reason'])
      .where('id', '=', ids['N-demo']!)
      .executeTakeFirstOrThrow();
    expect(rejectedLater).toEqual({ status: 'rejected', disposition_reason: 'not_icp' });
    await store.db
      .updateTable('leads')
      .set({ converted_at: now + 40 * DAY })
      .where('id', '=', ids['N-demo']!)
      .execute();
    // Sales disqualified M-owned, but its account bought two months later: marketing should see that.
    const account = await store.db.selectFrom('accounts').select('id').executeTakeFirstOrThrow();
    await store.db
      .insertInto('opportunities')
      .values({
        external_id: 'O-1',
        account_id: account.id,
        opened_at: now + 60 * DAY,
        won: 1,
        created_at: now,
        updated_at: now,
      })
      .execute();
    expect(await feedbackReport(store.db)).toEqual([
      {
        campaign: 'spring-webinar',
        source: 'webinar',
        kind: 'disqualified',
        reason_code: 'no_budget',
        category: '',
        leads: 1,
        converted_later: 0,
        later_opportunity: 1,
        later_won: 1,
      },
      {
        campaign: 'spring-webinar',
        source: 'webinar',
        kind: 'rejected',
        reason_code: 'not_icp',
        category: 'definitional',
        leads: 1,
        converted_later: 1,
        later_opportunity: 0,
        later_won: 0,
      },
    ]);
  });

  it('recycled leads go back to the nurture pool and off every queue', async () => {
    await applyTransition(store.db, { leadId: ids['N-demo']!, action: 'recycle', actor: 'system', now });
    const lead = await store.db
      .selectFrom('leads')
      .select(['status', 'owner_rep_id', 'handed_over_at'])
      .where('id', '=', ids['N-demo']!)
      .executeTakeFirstOrThrow();
    expect(lead).toEqual({ status: 'nurture', owner_rep_id: null, handed_over_at: null });
    for (const repId of Object.values(reps)) {
      const { items } = await repQueue(store.db, { repId, now });
      expect(items.map((i) => i.externalId)).not.toContain('N-demo');
    }
    expect((await routeNewLeads(store.db, { now })).assigned).toEqual([]);
  });

  it('says when no rep has capacity and marketing produces more than sales can work', async () => {
    await store.db.updateTable('reps').set({ monthly_capacity_hours: 1 }).execute();
    for (let i = 0; i < 3; i++) {
      await store.db
        .insertInto('leads')
        .values({
          external_id: `M-extra-${i}`,
          status: 'mql',
          handed_over_at: now,
          created_at: now,
          updated_at: now,
        })
        .execute();
    }
    const result = await routeNewLeads(store.db, { now });
    expect(result.assigned).toEqual([]);
    expect(result.unassigned.map((u) => u.externalId).sort()).toEqual([
      'M-extra-0',
      'M-extra-1',
      'M-extra-2',
    ]);
    expect(result.overload).toMatchObject({ unassignedLeads: 3, minutesNeeded: 180 });
    expect(result.overload!.message).toMatch(/more than sales can work/);
  });
});

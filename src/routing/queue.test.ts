import { describe, expect, it } from 'vitest';
import { orderQueue, type QueueLeadInput, QueueSettings } from './queue.ts';

const H = 3_600_000;
const now = Date.UTC(2026, 10, 23, 12);
const settings = QueueSettings.parse({});
const lead = (id: number, more: Partial<QueueLeadInput>): QueueLeadInput => ({
  id,
  externalId: `L-${id}`,
  name: null,
  company: `Co ${id}`,
  title: 'CEO',
  email: `ceo@co${id}.test`,
  source: 'webinar',
  status: 'mql',
  score: 50,
  handedOverAt: now,
  firstTouchAt: null,
  lastTouchAt: null,
  touches: 0,
  ...more,
});

describe('work queue order', () => {
  it.each([
    {
      name: 'earliest SLA deadline first',
      leads: [
        lead(1, { sla: { deadline: now + 5 * H, state: 'pending' } }),
        lead(2, { sla: { deadline: now - H, state: 'breached' } }),
      ],
      order: [2, 1],
    },
    {
      name: 'equal deadlines: higher score first',
      leads: [lead(1, { score: 40 }), lead(2, { score: 90 }), lead(3, { score: null })],
      order: [2, 1, 3],
    },
    {
      name: 'no deadline (attempts met) goes last',
      leads: [lead(1, { sla: { deadline: null, state: 'met' }, score: 99 }), lead(2, { score: 1 })],
      order: [2, 1],
    },
    {
      name: 'fallback deadline: first touch due 24 h after hand-over, then 3 days after the last touch',
      leads: [
        lead(1, { handedOverAt: now - 2 * H }),
        lead(2, { firstTouchAt: now - 80 * H, lastTouchAt: now - 70 * H, touches: 1 }),
      ],
      order: [2, 1],
    },
    {
      name: 'closed and nurture leads never appear',
      leads: [
        lead(1, { status: 'nurture' }),
        lead(2, { status: 'rejected' }),
        lead(3, { status: 'working' }),
      ],
      order: [3],
    },
  ])('$name', ({ leads, order }) => {
    expect(orderQueue({ leads, settings, now }).map((i) => i.leadId)).toEqual(order);
  });

  it('blind mode withholds company and title except for the opened lead', () => {
    const items = orderQueue({
      leads: [lead(1, {}), lead(2, {})],
      settings: { ...settings, blind: true },
      now,
      openedLeadId: 1,
    });
    expect(items.map((i) => [i.leadId, i.company, i.title, i.email, i.hidden])).toEqual([
      [1, 'Co 1', 'CEO', 'ceo@co1.test', false],
      [2, null, null, null, true],
    ]);
    // What does not reveal the company stays: the rep still sees where the lead came from and when.
    expect(items[1]).toMatchObject({ source: 'webinar', handedOverAt: now, touches: 0 });
  });
});

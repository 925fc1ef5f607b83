import { describe, expect, it } from 'vitest';
import { defaultReasonCodes } from './reason-codes.ts';
import { type LifecycleAction, transition } from './transitions.ts';

const t = (
  status: string,
  action: LifecycleAction,
  more: { touches?: number; reason?: string; attemptsMet?: boolean } = {},
) =>
  transition({
    lead: { status, touches: more.touches ?? 0, attemptsMet: more.attemptsMet ?? false },
    action,
    reasonCode: more.reason,
    reasonCodes: defaultReasonCodes,
  });

describe('lifecycle transitions', () => {
  it.each([
    { from: 'nurture', action: 'hand_over', to: 'mql', kind: 'handed_over' },
    { from: 'recycled', action: 'hand_over', to: 'mql', kind: 'handed_over' },
    { from: 'mql', action: 'accept', to: 'accepted', kind: 'accepted' },
    { from: 'mql', action: 'reject', to: 'rejected', kind: 'rejected', reason: 'duplicate' },
    { from: 'accepted', action: 'work', to: 'working', kind: 'working' },
    { from: 'working', action: 'qualify', to: 'qualified', kind: 'qualified' },
    {
      from: 'working',
      action: 'disqualify',
      to: 'disqualified',
      kind: 'disqualified',
      touches: 2,
      reason: 'no_budget',
    },
    {
      from: 'working',
      action: 'unresponsive',
      to: 'unresponsive',
      kind: 'unresponsive',
      touches: 6,
      attemptsMet: true,
    },
    { from: 'disqualified', action: 'recycle', to: 'nurture', kind: 'recycled' },
    { from: 'rejected', action: 'recycle', to: 'nurture', kind: 'recycled' },
  ] as const)('$from --$action--> $to', (c) => {
    const r = t(c.from, c.action, c);
    expect(r.toStatus).toBe(c.to);
    expect(r.eventKind).toBe(c.kind);
  });

  it.each([
    { category: 'procedural', reason: 'wrong_territory' },
    { category: 'clerical', reason: 'bad_contact_data' },
    { category: 'definitional', reason: 'not_icp' },
  ])(
    'a rejection keeps the SiriusDecisions category of its reason ($reason → $category)',
    ({ reason, category }) => {
      expect(t('mql', 'reject', { reason }).category).toBe(category);
    },
  );

  it('hand-over starts the SLA clock; recycling clears the clock and the owner', () => {
    expect(t('nurture', 'hand_over').setsHandedOverAt).toBe(true);
    expect(t('working', 'recycle', { touches: 3 }).clears).toEqual(['handed_over_at', 'owner_rep_id']);
  });

  it.each([
    {
      name: 'reject without a reason',
      from: 'mql',
      action: 'reject',
      code: 'bad_input',
      message: /rejection needs a reason code/,
    },
    {
      name: 'reject with a disqualification reason',
      from: 'mql',
      action: 'reject',
      reason: 'no_budget',
      code: 'bad_input',
      message: /rejection needs/,
    },
    {
      name: 'reject after a touch',
      from: 'mql',
      action: 'reject',
      touches: 1,
      reason: 'duplicate',
      code: 'conflict',
      message: /disqualify/,
    },
    {
      name: 'disqualify before contact',
      from: 'accepted',
      action: 'disqualify',
      reason: 'no_budget',
      code: 'conflict',
      message: /after contact/,
    },
    {
      name: 'disqualify without a reason',
      from: 'working',
      action: 'disqualify',
      touches: 2,
      code: 'bad_input',
      message: /disqualification needs/,
    },
    {
      name: 'unresponsive before the attempts are met',
      from: 'working',
      action: 'unresponsive',
      touches: 1,
      code: 'conflict',
      message: /attempts/,
    },
    {
      name: 'accept a nurture lead',
      from: 'nurture',
      action: 'accept',
      code: 'conflict',
      message: /allowed from: mql/,
    },
    {
      name: 'hand over an MQL again',
      from: 'mql',
      action: 'hand_over',
      code: 'conflict',
      message: /nurture, recycled/,
    },
    {
      name: 'qualify a rejected lead',
      from: 'rejected',
      action: 'qualify',
      code: 'conflict',
      message: /cannot qualify/,
    },
  ] as const)('refuses to $name', (c) => {
    expect(() => t(c.from, c.action, c)).toThrow(c.message);
    try {
      t(c.from, c.action, c);
    } catch (error) {
      expect((error as { code: string }).code).toBe(c.code);
    }
  });
});

import { z } from 'zod';
import type { LeadStatus, RejectionCategory } from '../domain/words.ts';
import { AppError, badInput } from '../errors/app-error.ts';
import type { ReasonCodes } from './reason-codes.ts';

export const LifecycleAction = z.enum([
  'hand_over',
  'accept',
  'reject',
  'work',
  'qualify',
  'disqualify',
  'unresponsive',
  'recycle',
]);
export type LifecycleAction = z.infer<typeof LifecycleAction>;

/** Statuses from which each action may start. Recycled leads sit in the nurture pool. */
const allowedFrom: Record<LifecycleAction, readonly LeadStatus[]> = {
  hand_over: ['nurture', 'recycled'],
  accept: ['mql'],
  reject: ['mql'],
  work: ['mql', 'accepted'],
  qualify: ['accepted', 'working'],
  disqualify: ['accepted', 'working'],
  unresponsive: ['accepted', 'working'],
  recycle: ['rejected', 'disqualified', 'unresponsive', 'accepted', 'working'],
};

const target: Record<LifecycleAction, LeadStatus> = {
  hand_over: 'mql',
  accept: 'accepted',
  reject: 'rejected',
  work: 'working',
  qualify: 'qualified',
  disqualify: 'disqualified',
  unresponsive: 'unresponsive',
  recycle: 'nurture',
};

const eventKind: Record<LifecycleAction, string> = {
  hand_over: 'handed_over',
  accept: 'accepted',
  reject: 'rejected',
  work: 'working',
  qualify: 'qualified',
  disqualify: 'disqualified',
  unresponsive: 'unresponsive',
  recycle: 'recycled',
};

export type TransitionInput = {
  lead: { status: string; touches: number; attemptsMet?: boolean };
  action: LifecycleAction;
  reasonCode?: string | undefined;
  reasonText?: string | undefined;
  reasonCodes: ReasonCodes;
};

export type Transition = {
  toStatus: LeadStatus;
  eventKind: string;
  reasonCode: string | null;
  /** For rejections: the SiriusDecisions category of the reason. */
  category: RejectionCategory | null;
  /** Fields that change on the lead besides status (hand-over starts the SLA clock; recycling clears it). */
  clears: Array<'handed_over_at' | 'owner_rep_id'>;
  setsHandedOverAt: boolean;
};

/**
 * The lifecycle as a pure function: validates one action on a lead and says what it becomes.
 * Rejection happens before any touch (with a rejection reason); disqualification after contact
 * (with a disqualification reason); "unresponsive" only once the SLA's attempts are met.
 */
export function transition(input: TransitionInput): Transition {
  const { lead, action, reasonCodes } = input;
  if (!allowedFrom[action].includes(lead.status as LeadStatus)) {
    throw new AppError(
      'conflict',
      `cannot ${action.replace('_', ' ')} a lead in status "${lead.status}" (allowed from: ${allowedFrom[action].join(', ')})`,
    );
  }
  let category: RejectionCategory | null = null;
  let reasonCode: string | null = input.reasonCode ?? null;
  if (action === 'reject') {
    if (lead.touches > 0) {
      throw new AppError(
        'conflict',
        'the lead was already contacted: disqualify it with a reason instead of rejecting it',
      );
    }
    const found = reasonCodes.rejection.find((r) => r.code === input.reasonCode);
    if (!found)
      throw badInput(
        `a rejection needs a reason code, one of: ${reasonCodes.rejection.map((r) => r.code).join(', ')}`,
        { field: 'reason' },
      );
    category = found.category;
  } else if (action === 'disqualify') {
    if (lead.touches === 0) {
      throw new AppError(
        'conflict',
        'disqualification comes after contact: reject the lead with a reason, or contact it first',
      );
    }
    if (!reasonCodes.disqualification.some((r) => r.code === input.reasonCode)) {
      throw badInput(
        `a disqualification needs a reason code, one of: ${reasonCodes.disqualification.map((r) => r.code).join(', ')}`,
        { field: 'reason' },
      );
    }
  } else if (action === 'unresponsive') {
    if (!lead.attemptsMet)
      throw new AppError(
        'conflict',
        "a lead may be called unresponsive only once the SLA's attempts are met",
      );
  } else if (action !== 'hand_over' && action !== 'recycle') {
    reasonCode = null;
  }
  return {
    toStatus: target[action],
    eventKind: eventKind[action],
    reasonCode,
    category,
    clears: action === 'recycle' ? ['handed_over_at', 'owner_rep_id'] : [],
    setsHandedOverAt: action === 'hand_over',
  };
}

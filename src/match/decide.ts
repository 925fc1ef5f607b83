import type { CapturedActivity, CapturedParticipant, SkipReason } from '../capture/activity.ts';
import type { CaptureSettings } from '../capture/capture-settings.ts';
import { identify, isBlocklisted, type MatchIndex, matchExternal, type ParticipantMatch } from './matcher.ts';

export type MatchedParticipant = ParticipantMatch & {
  role: CapturedParticipant['role'];
  name: string | null;
  response: string | null;
};

/** An activity ready to store: the row's values and its matched participants. */
export type DecidedActivity = {
  captured: CapturedActivity;
  direction: 'outbound' | 'inbound';
  repId: number | null;
  leadId: number | null;
  contactId: number | null;
  accountId: number | null;
  isTouch: boolean;
  isResponse: boolean;
  effortMinutes: number;
  participants: MatchedParticipant[];
};

export type Decision = { skip: SkipReason } | { activity: DecidedActivity };

const senderRoles = new Set(['from', 'caller', 'organizer']);

/** Rep minutes: emails a fixed allowance; calls and meetings their duration plus an allowance. */
export function effortMinutes(a: CapturedActivity, effort: CaptureSettings['effort']): number {
  if (a.kind === 'email') return effort.emailMinutes;
  const seconds = a.durationSeconds ?? (a.endedAt ? Math.max(0, (a.endedAt - a.occurredAt) / 1000) : 0);
  const allowance = a.kind === 'call' ? effort.callAllowanceMinutes : effort.meetingAllowanceMinutes;
  return Math.round((seconds / 60 + allowance) * 100) / 100;
}

/**
 * Decides what a captured activity is: skipped (bulk, outside the window, blocklisted, no rep,
 * internal only) or stored with its direction, rep, lead, touch/response flags and effort.
 */
export function decideActivity(input: {
  activity: CapturedActivity;
  index: MatchIndex;
  settings: CaptureSettings;
}): Decision {
  const { activity: a, index, settings } = input;
  if (a.bulkReason) return { skip: 'bulk' };
  if (settings.windowStart !== null && a.occurredAt < settings.windowStart) return { skip: 'outside_window' };
  if (settings.windowEnd !== null && a.occurredAt > settings.windowEnd) return { skip: 'outside_window' };
  // Written out rather than spread: the same shape every time, and the cached match is not copied twice.
  const captured = a.participants;
  const identified = new Array<MatchedParticipant>(captured.length);
  for (let i = 0; i < captured.length; i++) {
    const p = captured[i] as CapturedParticipant;
    const m = identify(index, p);
    identified[i] = {
      email: m.email,
      phone: m.phone,
      repId: m.repId,
      leadId: m.leadId,
      contactId: m.contactId,
      accountId: m.accountId,
      rule: m.rule,
      note: m.note,
      external: m.external,
      personal: m.personal,
      role: p.role,
      name: p.name ?? null,
      response: p.response ?? null,
    };
  }
  for (const p of identified) if (isBlocklisted(index, p.email)) return { skip: 'blocklisted' };
  // The reps in order of first appearance, without a Set and two arrays per activity.
  const repIds: number[] = [];
  let anyExternal = false;
  for (const p of identified) {
    if (p.repId !== null && !repIds.includes(p.repId)) repIds.push(p.repId);
    if (p.external) anyExternal = true;
  }
  if (repIds.length === 0) return { skip: 'no_rep' };
  if (!anyExternal) return { skip: 'internal_only' };
  // Each identified participant is a fresh object, so one that matchExternal returns as is is kept.
  const participants = new Array<MatchedParticipant>(identified.length);
  for (let i = 0; i < identified.length; i++)
    participants[i] = matchExternal(index, identified[i] as MatchedParticipant, repIds);

  const sender = participants.find((p) => senderRoles.has(p.role));
  const senderIsRep = sender?.repId !== null && sender?.repId !== undefined;
  const direction = a.direction ?? (senderIsRep ? 'outbound' : 'inbound');
  const repId =
    (direction === 'outbound' && sender?.repId) ||
    (participants.find((p) => p.repId !== null)?.repId ?? null);
  // The lead the activity is about: on outbound, a recipient's; on inbound, the sender's first.
  // External participants are looked at in that order: senders first on inbound, last on outbound.
  let withLead: MatchedParticipant | undefined;
  let withContact: MatchedParticipant | undefined;
  let withAccount: MatchedParticipant | undefined;
  const scan = (senders: boolean) => {
    for (const p of participants) {
      if (!p.external || senderRoles.has(p.role) !== senders) continue;
      if (!withLead && p.leadId !== null && p.response !== 'declined') withLead = p;
      if (!withContact && p.contactId !== null) withContact = p;
      if (!withAccount && p.accountId !== null) withAccount = p;
    }
  };
  scan(direction === 'inbound');
  scan(direction !== 'inbound');
  const leadId = withLead?.leadId ?? null;
  const cancelled = a.kind === 'meeting' && a.disposition?.toLowerCase() === 'cancelled';
  const isTouch = leadId !== null && !cancelled && (a.kind === 'meeting' || direction === 'outbound');
  const isResponse =
    leadId !== null &&
    direction === 'inbound' &&
    a.kind !== 'meeting' &&
    participants.some((p) => senderRoles.has(p.role) && p.leadId === leadId);
  return {
    activity: {
      captured: a,
      direction,
      repId,
      leadId,
      contactId: withLead?.contactId ?? withContact?.contactId ?? null,
      accountId: withLead?.accountId ?? withAccount?.accountId ?? null,
      isTouch,
      isResponse,
      effortMinutes: effortMinutes(a, settings.effort),
      participants,
    },
  };
}

import { z } from 'zod';

/** DESIGN.md's lifecycle. Rejection (before any touch) is not disqualification (after contact). */
export const leadStatuses = [
  'nurture',
  'mql',
  'accepted',
  'rejected',
  'working',
  'qualified',
  'disqualified',
  'unresponsive',
  'recycled',
] as const;
export const LeadStatus = z.enum(leadStatuses);
export type LeadStatus = z.infer<typeof LeadStatus>;

/** Statuses in which a lead is still being worked (the SLA clock can still run). */
export const openLeadStatuses: readonly LeadStatus[] = ['mql', 'accepted', 'working'];

/** Kinds of lead event: lifecycle changes, assignment and queue actions, and behaviour signals used by scoring. */
export const leadEventKinds = [
  'created',
  'handed_over',
  'assigned',
  'accepted',
  'rejected',
  'working',
  'qualified',
  'disqualified',
  'unresponsive',
  'recycled',
  'converted',
  'skipped',
  'score_changed',
  'web_visit',
  'content_download',
  'webinar_attended',
  'demo_request',
  'opt_in',
  'form_submit',
  'email_open',
  'email_click',
] as const;
export const LeadEventKind = z.enum(leadEventKinds);
export type LeadEventKind = z.infer<typeof LeadEventKind>;

export const ActivityKind = z.enum(['email', 'call', 'meeting']);
export type ActivityKind = z.infer<typeof ActivityKind>;

export const ActivityDirection = z.enum(['outbound', 'inbound', 'internal']);
export type ActivityDirection = z.infer<typeof ActivityDirection>;

/** Why a participant was linked to a rep, lead, contact or account. */
export const MatchRule = z.enum(['rep', 'email', 'phone', 'domain', 'auto-contact']);
export type MatchRule = z.infer<typeof MatchRule>;

export const UserRole = z.enum(['admin', 'marketing', 'manager', 'rep']);
export type UserRole = z.infer<typeof UserRole>;

export const SlaState = z.enum(['pending', 'at_risk', 'breached', 'met', 'not_applicable']);
export type SlaState = z.infer<typeof SlaState>;

/** Rejection reason categories after SiriusDecisions: procedural rejections make the SLA not applicable. */
export const RejectionCategory = z.enum(['procedural', 'clerical', 'definitional']);
export type RejectionCategory = z.infer<typeof RejectionCategory>;

import { z } from 'zod';
import { ActivityKind } from '../domain/words.ts';

/** Who took part and in what role; addresses and phones as seen (normalised later by matching). */
export const ParticipantRole = z.enum([
  'from',
  'to',
  'cc',
  'bcc',
  'organizer',
  'attendee',
  'caller',
  'callee',
]);
export type ParticipantRole = z.infer<typeof ParticipantRole>;

export const MeetingResponse = z.enum(['accepted', 'declined', 'tentative', 'needs-action', 'delegated']);

export const CapturedParticipant = z
  .object({
    role: ParticipantRole,
    email: z.string().trim().min(3).max(320).nullish(),
    phone: z.string().trim().min(2).max(64).nullish(),
    name: z.string().max(300).nullish(),
    response: MeetingResponse.nullish(),
  })
  .refine((p) => Boolean(p.email || p.phone), { message: 'a participant needs an email or a phone' });
export type CapturedParticipant = z.infer<typeof CapturedParticipant>;

/**
 * The one captured-activity type every reader (mail files, IMAP, calendars, call logs, the JSON API)
 * produces. Metadata only: bodies are never part of it; the subject is dropped before storing unless
 * the workspace keeps subjects.
 */
export const CapturedActivity = z.object({
  kind: ActivityKind,
  /** For calls the log says; for mail and meetings it is decided from who the rep is. */
  direction: z.enum(['outbound', 'inbound']).nullish(),
  occurredAt: z.number().int(),
  endedAt: z.number().int().nullish(),
  durationSeconds: z.number().nonnegative().nullish(),
  source: z.string().min(1).max(40),
  sourceKey: z.string().min(1).max(500),
  messageId: z.string().max(998).nullish(),
  inReplyTo: z.string().max(998).nullish(),
  threadKey: z.string().max(998).nullish(),
  subject: z.string().max(998).nullish(),
  /** Call disposition (connected, voicemail, no-answer …) or meeting status (confirmed, cancelled …). */
  disposition: z.string().max(60).nullish(),
  /** Set by the mail reader from List-Id, List-Unsubscribe, Precedence or Auto-Submitted. */
  bulkReason: z.string().nullish(),
  participants: z.array(CapturedParticipant).min(1).max(2000),
  /** Where it was read: file, offset, folder, uid, line … */
  origin: z.record(z.string(), z.union([z.string(), z.number()])).nullish(),
});
export type CapturedActivity = z.infer<typeof CapturedActivity>;

/** Why a record was not captured. */
export const skipReasons = [
  'bulk',
  'internal_only',
  'blocklisted',
  'outside_window',
  'no_rep',
  'cancelled',
] as const;
export type SkipReason = (typeof skipReasons)[number];

/** A record a reader could not turn into an activity, with where it sits and why. */
export type Rejection = { file: string; offset?: number; line?: number; record?: string; reason: string };

/** What a reader yields: an activity, or a rejection that the run reports and moves past. */
export type ReadResult = { activity: CapturedActivity } | { rejection: Rejection };

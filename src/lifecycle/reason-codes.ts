import { z } from 'zod';
import { RejectionCategory } from '../domain/words.ts';

const Code = z.string().regex(/^[a-z0-9_-]+$/, 'reason codes are lower-case letters, digits, _ and -');

/** Reason codes are workspace data (`workspace_settings` key `reason_codes`); these are the defaults. */
export const ReasonCodes = z
  .object({
    /** Rejection (before any touch) — SiriusDecisions categories; procedural makes the SLA not applicable. */
    rejection: z
      .array(z.object({ code: Code, label: z.string(), category: RejectionCategory }).strict())
      .min(1),
    /** Disqualification (after contact). */
    disqualification: z.array(z.object({ code: Code, label: z.string() }).strict()).min(1),
    /** Skipping a lead ahead of the one on top of the queue. */
    skip: z.array(z.object({ code: Code, label: z.string() }).strict()).min(1),
  })
  .strict();
export type ReasonCodes = z.infer<typeof ReasonCodes>;

export const REASON_CODES_KEY = 'reason_codes';

export const defaultReasonCodes: ReasonCodes = {
  rejection: [
    { code: 'wrong_territory', label: 'Routed to the wrong rep or territory', category: 'procedural' },
    { code: 'duplicate', label: 'Duplicate of a lead or contact already worked', category: 'procedural' },
    { code: 'existing_customer', label: 'Already a customer / open opportunity', category: 'procedural' },
    { code: 'bad_contact_data', label: 'Contact data wrong or missing', category: 'clerical' },
    { code: 'fake_or_spam', label: 'Fake or spam submission', category: 'clerical' },
    { code: 'not_icp', label: 'Does not meet the agreed MQL definition', category: 'definitional' },
    { code: 'student_or_job_seeker', label: 'Student, job seeker or competitor', category: 'definitional' },
  ],
  disqualification: [
    { code: 'no_budget', label: 'No budget' },
    { code: 'no_need', label: 'No need / no project' },
    { code: 'no_authority', label: 'Cannot reach a decision maker' },
    { code: 'bad_timing', label: 'Timing: not in the next 12 months' },
    { code: 'chose_competitor', label: 'Chose a competitor' },
  ],
  skip: [
    { code: 'waiting_on_reply', label: 'Waiting on a reply already scheduled' },
    { code: 'time_zone', label: "Outside the lead's business hours" },
    { code: 'needs_research', label: 'Needs research before contact' },
    { code: 'higher_priority', label: 'Another lead is more urgent' },
    { code: 'other', label: 'Other (explain in the note)' },
  ],
};

export const ReasonCodesSetting = ReasonCodes.default(defaultReasonCodes);

import { z } from 'zod';
import { LeadStatus } from '../../domain/words.ts';
import { LeadSummary } from './leads.types.ts';

export const queueActions = ['accept', 'reject', 'skip', 'disqualify'] as const;
export const QueueActionName = z.enum(queueActions);
export type QueueActionName = z.infer<typeof QueueActionName>;

/** POST /api/leads/:id/actions. reject, skip and disqualify need a reason code. */
export const QueueActionRequest = z
  .object({
    action: QueueActionName,
    reasonCode: z.string().min(1).max(64).optional(),
    reasonText: z.string().max(2000).optional(),
  })
  .refine((r) => r.action === 'accept' || r.reasonCode !== undefined, {
    message: 'a reason code is required to reject, skip or disqualify',
    path: ['reasonCode'],
  })
  .meta({ id: 'QueueActionRequest' });
export type QueueActionRequest = z.infer<typeof QueueActionRequest>;

export const QueueActionResponse = z
  .object({
    leadId: z.number().int(),
    action: QueueActionName,
    fromStatus: LeadStatus,
    toStatus: LeadStatus,
    eventId: z.number().int(),
  })
  .meta({ id: 'QueueActionResponse' });
export type QueueActionResponse = z.infer<typeof QueueActionResponse>;

/** GET /api/queue: the asking rep's open leads, next to work first. `blind` hides company and title. */
export const QueueQuery = z.object({
  rep: z.coerce.number().int().positive().optional(),
  blind: z
    .enum(['0', '1', 'true', 'false'])
    .transform((v) => v === '1' || v === 'true')
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(20),
});
export type QueueQuery = z.infer<typeof QueueQuery>;

export const QueueItem = LeadSummary.extend({
  /** 1-based place in the queue. */
  position: z.number().int(),
  /** Why it is at this position (SLA deadline, score). */
  why: z.string(),
  /** Next SLA deadline (epoch ms), null when nothing is due. */
  dueAt: z.number().int().nullable(),
  overdue: z.boolean(),
}).meta({ id: 'QueueItem' });
export type QueueItem = z.infer<typeof QueueItem>;

export const Queue = z
  .object({ repId: z.number().int(), blind: z.boolean(), items: z.array(QueueItem) })
  .meta({ id: 'Queue' });
export type Queue = z.infer<typeof Queue>;

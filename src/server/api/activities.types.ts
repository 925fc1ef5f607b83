import { z } from 'zod';
import { CapturedActivity } from '../../capture/activity.ts';

/** One captured activity: the capture capability's own schema (the one every reader produces). */
export const ActivityInput = CapturedActivity.meta({ id: 'ActivityInput' });
export type ActivityInput = z.infer<typeof ActivityInput>;

/**
 * POST /api/activities: one activity (validated whole: 400 with the field), or `{ activities: [...] }`
 * with up to 5,000 — each item validated on its own, bad ones listed in `rejections` by index.
 */
export const IngestActivitiesRequest = z
  .union([
    ActivityInput,
    z.object({
      activities: z
        .array(z.unknown())
        .min(1)
        .max(5000)
        .meta({ description: 'ActivityInput items; invalid ones are rejected one by one' }),
    }),
  ])
  .meta({ id: 'IngestActivitiesRequest' });
export type IngestActivitiesRequest = z.infer<typeof IngestActivitiesRequest>;

const Rejection = z.object({
  file: z.string(),
  offset: z.number().optional(),
  line: z.number().optional(),
  /** The item's index in the batch. */
  record: z.string().optional(),
  reason: z.string(),
});

/** The capture run's summary: stored, duplicates (idempotent on source + sourceKey), skipped by reason, rejected. */
export const IngestActivitiesResponse = z
  .object({
    read: z.number().int(),
    captured: z.number().int(),
    duplicates: z.number().int(),
    skipped: z.record(z.string(), z.number().int()),
    rejected: z.number().int(),
    contactsCreated: z.number().int(),
    rejections: z.array(Rejection),
    warnings: z.array(Rejection),
  })
  .meta({ id: 'IngestActivitiesResponse' });
export type IngestActivitiesResponse = z.infer<typeof IngestActivitiesResponse>;

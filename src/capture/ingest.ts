import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../store/schema.ts';
import { CapturedActivity, type Rejection } from './activity.ts';
import { type CaptureEvent, type CaptureSummary, runCapture } from './capture-run.ts';

/** The HTTP API's body: one activity or a batch of up to 5,000. */
export const IngestBody = z.union([CapturedActivity, z.array(z.unknown()).min(1).max(5000)]);

/**
 * Ingests activities posted as JSON (one object or an array), validated by the same schema the
 * readers produce. Invalid items are rejected with their index and the first problem; the rest
 * are captured. Source defaults to what the caller sends (e.g. 'api').
 */
export async function ingestActivities(db: Kysely<Database>, body: unknown): Promise<CaptureSummary> {
  const items = Array.isArray(body) ? body : [body];
  const events: CaptureEvent[] = items.map((item, i) => {
    const parsed = CapturedActivity.safeParse(item);
    if (parsed.success) return { activity: parsed.data };
    const issue = parsed.error.issues[0];
    const rejection: Rejection = {
      file: 'request',
      record: String(i),
      reason: `${issue?.path.join('.') || '(item)'}: ${issue?.message ?? 'invalid'}`,
    };
    return { rejection };
  });
  return runCapture({ db, events });
}

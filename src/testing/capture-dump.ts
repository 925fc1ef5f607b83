import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';

/**
 * Everything a capture run leaves in the store, without generated ids or wall-clock times, in a
 * stable order: activities by source key, each with its participants (match rule and note), the
 * lead counters and the contacts. Two runs that capture the same thing dump the same JSON.
 */
export async function dumpCapture(db: Kysely<Database>) {
  const activities = await db
    .selectFrom('activities')
    .select([
      'id',
      'kind',
      'direction',
      'occurred_at',
      'ended_at',
      'duration_seconds',
      'effort_minutes',
      'rep_id',
      'lead_id',
      'contact_id',
      'account_id',
      'source',
      'source_key',
      'message_id',
      'in_reply_to',
      'thread_key',
      'subject',
      'disposition',
      'is_touch',
      'is_response',
      'origin',
    ])
    .orderBy('source')
    .orderBy('source_key')
    .execute();
  const participants = await db
    .selectFrom('activity_participants')
    .select([
      'activity_id',
      'role',
      'email',
      'phone',
      'name',
      'rep_id',
      'lead_id',
      'contact_id',
      'account_id',
      'match_rule',
      'match_note',
      'response',
    ])
    .orderBy('activity_id')
    .orderBy('id')
    .execute();
  const byActivity = new Map<number, Array<Record<string, unknown>>>();
  for (const { activity_id, ...p } of participants) {
    const list = byActivity.get(Number(activity_id)) ?? [];
    list.push(p);
    byActivity.set(Number(activity_id), list);
  }
  const leadStats = await db
    .selectFrom('lead_stats')
    .select([
      'lead_id',
      'first_touch_at',
      'last_touch_at',
      'touches',
      'calls',
      'emails',
      'meetings',
      'responses',
      'last_response_at',
      'effort_minutes',
      'max_gap_ms',
    ])
    .orderBy('lead_id')
    .execute();
  const contacts = await db
    .selectFrom('contacts')
    .select(['id', 'email', 'name', 'account_id', 'origin'])
    .orderBy('id')
    .execute();
  return {
    activities: activities.map(({ id, ...a }) => ({ ...a, participants: byActivity.get(Number(id)) ?? [] })),
    leadStats,
    contacts,
  };
}

/** A short fingerprint of a dump (for large data sets whose full dump is not worth keeping). */
export const dumpDigest = (dump: unknown): string =>
  createHash('sha256').update(JSON.stringify(dump)).digest('hex').slice(0, 32);

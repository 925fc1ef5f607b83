import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../store/schema.ts';

/**
 * Capture settings, stored in workspace_settings: `keep_subjects` (boolean) and `capture` (this
 * object, JSON). Missing keys take the defaults below.
 */
export const CaptureSettings = z.object({
  keepSubjects: z.boolean().default(false),
  /** The company's own mail domains; when empty, the domains of the reps' addresses. */
  ownDomains: z.array(z.string()).default([]),
  blocklist: z.array(z.string()).default([]),
  /** Inclusive window on occurred_at (epoch ms); null means open. */
  windowStart: z.number().nullable().default(null),
  windowEnd: z.number().nullable().default(null),
  /** ISO 3166 region for phone numbers written without a country code. */
  defaultRegion: z.string().length(2).default('US'),
  effort: z
    .object({
      emailMinutes: z.number().nonnegative().default(3),
      callAllowanceMinutes: z.number().nonnegative().default(2),
      meetingAllowanceMinutes: z.number().nonnegative().default(10),
    })
    .prefault({}),
  autoContact: z
    .object({
      policy: z.enum(['never', 'sent-to', 'sent-and-received']).default('sent-to'),
      threshold: z.number().int().positive().default(2),
    })
    .prefault({}),
});
export type CaptureSettings = z.infer<typeof CaptureSettings>;

export const defaultCaptureSettings = (): CaptureSettings => CaptureSettings.parse({});

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export async function loadCaptureSettings(db: Kysely<Database>): Promise<CaptureSettings> {
  const rows = await db
    .selectFrom('workspace_settings')
    .select(['key', 'value'])
    .where('key', 'in', ['capture', 'keep_subjects'])
    .execute();
  const byKey = new Map(rows.map((r) => [r.key, parseJson(r.value)]));
  const capture = (byKey.get('capture') ?? {}) as Record<string, unknown>;
  const keep = byKey.get('keep_subjects');
  return CaptureSettings.parse({ ...capture, ...(typeof keep === 'boolean' ? { keepSubjects: keep } : {}) });
}

export async function saveSetting(db: Kysely<Database>, key: string, value: unknown): Promise<void> {
  const row = { key, value: JSON.stringify(value), updated_at: Date.now() };
  await db
    .insertInto('workspace_settings')
    .values(row)
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: row.value, updated_at: row.updated_at }))
    .execute();
}

import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { AppError } from '../errors/app-error.ts';
import type { Database } from '../store/schema.ts';

/** Reads one workspace setting (JSON text) through its schema; the schema's default when unset. */
export async function readSetting<T extends z.ZodType>(
  db: Kysely<Database>,
  key: string,
  schema: T,
): Promise<z.infer<T>> {
  const row = await db
    .selectFrom('workspace_settings')
    .select('value')
    .where('key', '=', key)
    .executeTakeFirst();
  const parsed = schema.safeParse(row ? JSON.parse(row.value) : undefined);
  if (!parsed.success) {
    throw new AppError(
      'internal',
      `workspace setting "${key}" is invalid: ${parsed.error.issues[0]?.message}`,
    );
  }
  return parsed.data;
}

export async function writeSetting(
  db: Kysely<Database>,
  options: { key: string; value: unknown; now: number },
) {
  const value = JSON.stringify(options.value);
  await db
    .insertInto('workspace_settings')
    .values({ key: options.key, value, updated_at: options.now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: options.now }))
    .execute();
}

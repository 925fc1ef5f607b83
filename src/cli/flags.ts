import type { z } from 'zod';
import { badInput } from '../errors/app-error.ts';

/** Parses one CLI flag through a schema; a bad value is a one-line user error naming the flag. */
export function parseFlag<T extends z.ZodType>(schema: T, value: unknown, flag: string): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw badInput(`--${flag}: ${parsed.error.issues[0]?.message ?? 'invalid value'}`, { field: flag });
  return parsed.data;
}

import { z } from 'zod';
import { badInput } from '../errors/app-error.ts';

/** Configuration read once at start-up from the environment and flags, then frozen and passed down. */
export type Config = Readonly<{
  /** SQLite path or postgres:// URL (DATABASE_URL wins over the default file). */
  databaseUrl: string;
  /** Whether stdout is an interactive terminal (progress bars) — decided at the edge. */
  interactive: boolean;
  /** Time zone for zone-less times when nothing more specific is given. */
  defaultTimeZone: string;
}>;

const Env = z.object({
  DATABASE_URL: z.string().min(1).optional(),
  GLEANER_TZ: z.string().min(1).optional(),
});

export type ConfigOverrides = { db?: string | undefined; interactive?: boolean | undefined };

export function loadConfig(env: NodeJS.ProcessEnv, overrides: ConfigOverrides = {}): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) throw badInput(`invalid environment: ${parsed.error.message}`);
  const databaseUrl = overrides.db ?? parsed.data.DATABASE_URL ?? './gleaner.db';
  return Object.freeze({
    databaseUrl,
    interactive: overrides.interactive ?? false,
    defaultTimeZone: parsed.data.GLEANER_TZ ?? 'UTC',
  });
}

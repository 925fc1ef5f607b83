import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { Config } from '../config/config.ts';
import { badInput } from '../errors/app-error.ts';

/** The server's part of the configuration, parsed once at start-up and frozen with the base config. */
export type ServerConfig = Readonly<
  Config & {
    server: Readonly<{
      host: string;
      port: number;
      /** Built dashboard (static files); served when the folder exists. */
      webRoot: string;
      /** Where uploaded import files are kept. */
      uploadsDir: string;
      /** Set the cookie's Secure flag (when served over HTTPS, directly or behind a proxy). */
      secureCookies: boolean;
      sessionTtlMs: number;
      loginMaxFailures: number;
      loginWindowMs: number;
      /** Trust X-Forwarded-For for the client address (only behind a known proxy). */
      trustProxy: boolean;
    }>;
  }
>;

const Env = z.object({
  GLEANER_SECURE_COOKIES: z.enum(['0', '1', 'true', 'false']).optional(),
  GLEANER_TRUST_PROXY: z.enum(['0', '1', 'true', 'false']).optional(),
  GLEANER_WEB_ROOT: z.string().min(1).optional(),
  GLEANER_UPLOADS_DIR: z.string().min(1).optional(),
});

const Flags = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(3000),
  host: z.string().min(1).default('127.0.0.1'),
});

const yes = (v: string | undefined) => v === '1' || v === 'true';

export function loadServerConfig(
  base: Config,
  env: NodeJS.ProcessEnv,
  flags: { port?: string | number | undefined; host?: string | undefined } = {},
): ServerConfig {
  const e = Env.safeParse(env);
  if (!e.success) throw badInput(`invalid environment: ${e.error.issues[0]?.message ?? ''}`);
  const f = Flags.safeParse(flags);
  if (!f.success) {
    const issue = f.error.issues[0];
    throw badInput(`invalid --${issue?.path.join('.') ?? 'flag'}: ${issue?.message ?? ''}`);
  }
  return Object.freeze({
    ...base,
    server: Object.freeze({
      host: f.data.host,
      port: f.data.port,
      webRoot: e.data.GLEANER_WEB_ROOT ?? 'dist/web',
      uploadsDir: e.data.GLEANER_UPLOADS_DIR ?? join(tmpdir(), 'gleaner-uploads'),
      secureCookies: yes(e.data.GLEANER_SECURE_COOKIES),
      sessionTtlMs: 12 * 3600_000,
      loginMaxFailures: 5,
      loginWindowMs: 15 * 60_000,
      trustProxy: yes(e.data.GLEANER_TRUST_PROXY),
    }),
  });
}

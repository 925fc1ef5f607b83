import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { type Context, Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { secureHeaders } from 'hono/secure-headers';
import type { z } from 'zod';
import { AppError, badInput, errorCodes } from '../errors/app-error.ts';
import type { Store } from '../store/open-store.ts';
import type { ErrorResponse } from './api/common.types.ts';
import { principalFromToken } from './auth/api-tokens.ts';
import type { Principal } from './auth/principal.ts';
import { createPrincipalCache } from './auth/principal-cache.ts';
import { createLoginRateLimiter } from './auth/rate-limit.ts';
import { sha256 } from './auth/secrets.ts';
import { principalFromSession } from './auth/sessions.ts';
import { createImportJobs, type ImportJobs } from './imports/import-jobs.ts';
import { createDataVersion } from './reports/data-version.ts';
import { createReportCache } from './reports/report-cache.ts';
import { inProcessReportRunner, workerReportRunner } from './reports/report-runner.ts';
import type { RouteDef, ServerDeps } from './route.ts';
import { routes, SESSION_COOKIE } from './routes.ts';
import type { ServerConfig } from './server-config.ts';

export type CreateAppOptions = {
  now?: () => number;
  logError?: (line: string) => void;
  /**
   * Compute reports in a worker thread and keep the results used lately up to date in the background
   * (`gleaner serve`, live-demo); the worker needs a SQLite file or PostgreSQL.
   */
  reportWorker?: boolean;
};

/**
 * The HTTP app: the JSON API under /api and the built dashboard (if present) elsewhere.
 * Every route authenticates (session cookie or Bearer token), checks its roles, checks CSRF on
 * cookie-authenticated writes, validates its input with its zod schemas, then calls its handler.
 */
export function createApp(config: ServerConfig, store: Store, options: CreateAppOptions = {}): Hono {
  return createServerApp(config, store, options).app;
}

/** createApp with the jobs it runs in the background, for callers that wait on them (shutdown, tests). */
export function createServerApp(
  config: ServerConfig,
  store: Store,
  options: CreateAppOptions = {},
): { app: Hono; importJobs: ImportJobs; reportsIdle: () => Promise<void>; close: () => Promise<void> } {
  const now = options.now ?? Date.now;
  const logError = options.logError ?? ((line: string) => process.stderr.write(`${line}\n`));
  const dataVersion = createDataVersion(store, { now });
  const reportCache = createReportCache();
  const deps: ServerDeps = Object.freeze({
    config,
    store,
    now,
    loginLimiter: createLoginRateLimiter({
      maxFailures: config.server.loginMaxFailures,
      windowMs: config.server.loginWindowMs,
    }),
    dataVersion,
    reportCache,
    reportRunner:
      options.reportWorker && workerCanOpen(config.databaseUrl)
        ? workerReportRunner({ url: config.databaseUrl })
        : inProcessReportRunner(store),
    principals: createPrincipalCache({ ttlMs: 5000 }),
    importJobs: createImportJobs({ store, onFinished: dataVersion.bump, logError }),
  });

  const app = new Hono();
  app.use('/api/*', secureHeaders());
  app.use('/api/*', async (c, next) => {
    await next();
    // On the response's own headers: c.header() after next() would re-wrap the body as a stream.
    if (!c.res.headers.has('cache-control')) c.res.headers.set('cache-control', 'no-store');
  });
  for (const route of routes) app.on(route.method.toUpperCase(), route.path, (c) => handle(c, route, deps));

  app.all('/api/*', () => {
    throw new AppError('not_found', 'no such API endpoint');
  });
  app.onError((error, c) => {
    if (error instanceof AppError) {
      const body: ErrorResponse = {
        error: {
          code: error.code,
          message: error.message,
          ...(error.location ? { location: error.location } : {}),
        },
      };
      return c.json(body, errorCodes[error.code].http);
    }
    // Never log request bodies or headers: they carry passwords, cookies and tokens.
    logError(
      `gleaner serve: ${c.req.method} ${c.req.path}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    const body: ErrorResponse = { error: { code: 'internal', message: 'internal error' } };
    return c.json(body, 500);
  });

  mountDashboard(app, config.server.webRoot);
  // Every 5 s: results used in the last 30 minutes whose data changed (or that aged) are recomputed.
  const refresher = options.reportWorker
    ? setInterval(() => {
        dataVersion
          .current()
          .then((version) => reportCache.refreshUsed({ version, now: now() }))
          .catch((error: unknown) => logError(`gleaner serve: report refresh: ${String(error)}`));
      }, REFRESH_EVERY_MS)
    : undefined;
  refresher?.unref();
  return {
    app,
    importJobs: deps.importJobs,
    reportsIdle: () => reportCache.idle(),
    close: async () => {
      clearInterval(refresher);
      await deps.reportRunner.close();
    },
  };
}

const REFRESH_EVERY_MS = 5000;

/** A worker thread opens its own connection: not to an in-process PGlite or an in-memory SQLite. */
function workerCanOpen(url: string): boolean {
  return !url.startsWith('pglite:') && !url.includes(':memory:') && url !== '';
}

async function handle(c: Context, route: RouteDef, deps: ServerDeps): Promise<Response> {
  let principal: Principal | null = null;
  if (route.access !== 'public') {
    principal = await authenticate(c, deps);
    if (!principal) throw new AppError('unauthenticated', 'log in or send an API token');
    if (!route.access.includes(principal.role))
      throw new AppError('forbidden', `not allowed for role ${principal.role}`);
    if (principal.via === 'session' && route.method !== 'get') {
      const sent = c.req.header('x-csrf-token');
      if (!sent || sent !== principal.csrfToken) {
        throw new AppError(
          'forbidden',
          'missing or wrong X-CSRF-Token header (GET /api/me returns the token)',
        );
      }
    }
  }
  const params = route.params ? parse(route.params, c.req.param(), 'path') : undefined;
  const query = route.query ? parse(route.query, c.req.query(), 'query') : undefined;
  let body: unknown;
  if (route.body && route.bodyType !== 'multipart') {
    let raw: unknown;
    try {
      raw = await c.req.json();
    } catch {
      throw badInput('the body must be JSON (Content-Type: application/json)', { field: 'body' });
    }
    body = parse(route.body, raw, 'body');
  }
  const result = await route.handler({ query, params, body, principal: principal as Principal, deps, c });
  if (route.writes) deps.dataVersion.bump();
  if (result instanceof Response) return result;
  return c.json(result as object, route.status ?? 200);
}

async function authenticate(c: Context, deps: ServerDeps): Promise<Principal | null> {
  const authorization = c.req.header('authorization');
  let credential: { kind: 'token' | 'session'; value: string } | null = null;
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match?.[1]) return null;
    credential = { kind: 'token', value: match[1] };
  } else {
    const sessionId = getCookie(c, SESSION_COOKIE);
    if (sessionId) credential = { kind: 'session', value: sessionId };
  }
  if (!credential) return null;
  const now = deps.now();
  const key = `${credential.kind}:${sha256(credential.value)}`;
  const cached = deps.principals.get(key, now);
  if (cached) return cached;
  const principal =
    credential.kind === 'token'
      ? await principalFromToken(deps.store.db, credential.value, now)
      : await principalFromSession(deps.store.db, credential.value, now);
  if (principal) deps.principals.set(key, principal, now);
  return principal;
}

function parse<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = mostSpecificIssue(parsed.error.issues);
  const field = [where, ...(issue?.path ?? []).map(String)].join('.');
  throw badInput(`${field}: ${issue?.message ?? 'invalid'}`, { field });
}

type Issue = z.core.$ZodIssue;

/** For a union (one activity or a batch), report the branch the input was evidently meant for. */
function mostSpecificIssue(issues: readonly Issue[]): Issue | undefined {
  const first = issues[0];
  if (first?.code !== 'invalid_union' || first.errors.length === 0) return first;
  const missing = (branch: readonly Issue[]) =>
    branch.filter((i) => i.message.endsWith('received undefined')).length;
  const best = [...first.errors].sort((a, b) => missing(a) - missing(b) || a.length - b.length)[0] ?? [];
  const inner = mostSpecificIssue(best);
  return inner ? { ...inner, path: [...first.path, ...inner.path] } : first;
}

/** Serves dist/web (the web helper's build) with an index.html fallback for client-side routes. */
function mountDashboard(app: Hono, webRoot: string): void {
  const root = resolve(webRoot);
  const index = join(root, 'index.html');
  if (!existsSync(index)) {
    app.get('/', (c) =>
      c.text(
        'Gleaner API is running. The dashboard is not built (npm run build:web); the API is under /api.',
        200,
      ),
    );
    return;
  }
  app.use('/*', serveStatic({ root, precompressed: true }));
  const html = readFileSync(index, 'utf8');
  app.get('*', (c) => c.html(html));
}

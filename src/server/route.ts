import type { Context } from 'hono';
import type { z } from 'zod';
import type { UserRole } from '../domain/words.ts';
import type { Store } from '../store/open-store.ts';
import type { Principal } from './auth/principal.ts';
import type { PrincipalCache } from './auth/principal-cache.ts';
import type { LoginRateLimiter } from './auth/rate-limit.ts';
import type { ImportJobs } from './imports/import-jobs.ts';
import type { DataVersion } from './reports/data-version.ts';
import type { ReportCache } from './reports/report-cache.ts';
import type { ReportRunner } from './reports/report-runner.ts';
import type { ServerConfig } from './server-config.ts';

/** What every handler gets besides its input: built once in createApp, never global. */
export type ServerDeps = Readonly<{
  config: ServerConfig;
  store: Store;
  now: () => number;
  loginLimiter: LoginRateLimiter;
  dataVersion: DataVersion;
  reportCache: ReportCache;
  reportRunner: ReportRunner;
  principals: PrincipalCache;
  importJobs: ImportJobs;
}>;

export type Access = 'public' | readonly UserRole[];

export type RouteInput<Q, P, B, A extends Access> = {
  query: Q;
  params: P;
  body: B;
  principal: A extends 'public' ? Principal | null : Principal;
  deps: ServerDeps;
  c: Context;
};

/** One API route: its schemas (validation and OpenAPI come from the same objects), roles and handler. */
export type RouteDef = {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  summary: string;
  tag: string;
  access: Access;
  query?: z.ZodType;
  params?: z.ZodType;
  body?: z.ZodType;
  /** `multipart` bodies are read as form data (file uploads); `body` then describes the form fields. */
  bodyType?: 'json' | 'multipart';
  response: z.ZodType;
  status?: 200 | 201 | 202;
  /** Also answers text/csv when `?format=csv`. */
  csv?: boolean;
  /** The route writes to the workspace: bump the data version after it succeeds. */
  writes?: boolean;
  handler: (input: RouteInput<unknown, unknown, unknown, Access>) => Promise<unknown>;
};

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

/** Typed route definition; the handler sees the parsed query, params and body. */
export function defineRoute<
  A extends Access,
  R extends z.ZodType,
  Q extends z.ZodType | undefined = undefined,
  P extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(def: {
  method: RouteDef['method'];
  path: string;
  summary: string;
  tag: string;
  access: A;
  query?: Q;
  params?: P;
  body?: B;
  bodyType?: 'json' | 'multipart';
  response: R;
  status?: 200 | 201 | 202;
  csv?: boolean;
  writes?: boolean;
  handler: (input: RouteInput<Out<Q>, Out<P>, Out<B>, A>) => Promise<z.input<R> | Response>;
}): RouteDef {
  return def as unknown as RouteDef;
}

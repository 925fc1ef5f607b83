import { setCookie } from 'hono/cookie';
import { z } from 'zod';
import {
  createImapAccount,
  deleteImapAccount,
  listImapAccounts,
  updateImapAccount,
} from '../capture/imap-accounts.ts';
import { IngestActivitiesRequest, IngestActivitiesResponse } from './api/activities.types.ts';
import { applyQueueAction } from './api/apply-queue-action.ts';
import { getAttractiveness, putAttractiveness } from './api/attractiveness.ts';
import { LoginRequest, Me } from './api/auth.types.ts';
import { IdParam, Ok } from './api/common.types.ts';
import { createImport } from './api/create-import.ts';
import { getImportRejects } from './api/get-import-rejects.ts';
import { getLead } from './api/get-lead.ts';
import { getMe } from './api/get-me.ts';
import { getQueue } from './api/get-queue.ts';
import { getReport } from './api/get-report.ts';
import { getSlaBoard } from './api/get-sla-board.ts';
import { getImportRun, listImportRuns } from './api/import-runs.ts';
import { CreateImportForm, ImportRun, ImportRunList } from './api/imports.types.ts';
import { ingestActivities } from './api/ingest-activities.ts';
import { LeadDetail, LeadList, LeadListQuery, SlaBoard, SlaBoardQuery } from './api/leads.types.ts';
import { listLeads } from './api/list-leads.ts';
import { listReps } from './api/list-reps.ts';
import { login } from './api/login.ts';
import { logout } from './api/logout.ts';
import { getMqlBar, putMqlBar } from './api/mql-bar.ts';
import { Queue, QueueActionRequest, QueueActionResponse, QueueQuery } from './api/queue.types.ts';
import { getReasonCodes, putReasonCodes } from './api/reason-codes.ts';
import { ReportName, ReportQuery, ReportResult } from './api/reports.types.ts';
import { getScoringRules, putScoringRules } from './api/scoring-rules.ts';
import {
  Attractiveness,
  CreateImapAccount,
  ImapAccountList,
  ImapAccountView,
  MqlBar,
  PutSlaPolicies,
  ReasonCodes,
  ScoringRules,
  SlaPolicyList,
  UpdateImapAccount,
} from './api/settings.types.ts';
import { getSlaPolicies, putSlaPolicies } from './api/sla-policies.ts';
import {
  ApiToken,
  ApiTokenList,
  CreatedToken,
  CreateTokenRequest,
  CreateUserRequest,
  RepList,
  User,
  UserList,
} from './api/users.types.ts';
import { createApiToken, listApiTokens, revokeApiToken } from './auth/api-tokens.ts';
import { createUser, listUsers } from './auth/users.ts';
import { clientAddress } from './client-address.ts';
import { defineRoute, type RouteDef } from './route.ts';

export const SESSION_COOKIE = 'gleaner_session';

const everyone = ['admin', 'marketing', 'manager', 'rep'] as const;
const reporting = ['admin', 'marketing', 'manager'] as const;
const queueWorkers = ['admin', 'manager', 'rep'] as const;
const adminOnly = ['admin'] as const;
/** Scoring, the MQL bar and attractiveness are marketing's as much as the admin's. */
const scoringEditors = ['admin', 'marketing'] as const;

/** Every API route. Routes are thin: each calls one function in a file named after it. */
export const routes: RouteDef[] = [
  defineRoute({
    method: 'get',
    path: '/api/openapi.json',
    summary: 'This API as an OpenAPI 3.1 document',
    tag: 'meta',
    access: 'public',
    response: z.record(z.string(), z.unknown()),
    handler: async () => {
      const { openApiDocument } = await import('./openapi.ts');
      return openApiDocument();
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/login',
    summary:
      'Log in with e-mail and password; sets an httpOnly session cookie (rate-limited per address + e-mail)',
    tag: 'auth',
    access: 'public',
    body: LoginRequest,
    response: Me,
    handler: async ({ deps, body, c }) => {
      const result = await login(deps, { input: body, clientAddress: clientAddress(c, deps.config) });
      setCookie(c, SESSION_COOKIE, result.sessionId, {
        httpOnly: true,
        sameSite: 'Lax',
        secure: deps.config.server.secureCookies,
        path: '/',
        expires: new Date(result.expiresAt),
      });
      return result.me;
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/logout',
    summary: 'End the session',
    tag: 'auth',
    access: everyone,
    response: Ok,
    handler: async ({ deps, principal, c }) => {
      await logout(deps, principal);
      setCookie(c, SESSION_COOKIE, '', { httpOnly: true, sameSite: 'Lax', path: '/', maxAge: 0 });
      return { ok: true as const };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/me',
    summary: 'The caller, their role, and the CSRF token to send as X-CSRF-Token on writes',
    tag: 'auth',
    access: everyone,
    response: Me,
    handler: async ({ principal }) => getMe(principal),
  }),
  defineRoute({
    method: 'get',
    path: '/api/leads',
    summary: 'Leads the caller may see, filtered, sorted and paged (reps: their own; never the nurture pool)',
    tag: 'leads',
    access: everyone,
    query: LeadListQuery,
    response: LeadList,
    handler: async ({ deps, principal, query }) => listLeads(deps, { principal, query }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/sla-board',
    summary:
      'Open leads at risk (soonest deadline first) or breached (latest first-touch deadline first), in your view, with each breach in words',
    tag: 'leads',
    access: everyone,
    query: SlaBoardQuery,
    response: SlaBoard,
    handler: async ({ deps, principal, query }) => getSlaBoard(deps, { principal, query }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/leads/:id',
    summary:
      'One lead: fields, stats, timeline with match rules, events, SLA explanation (404 outside your view)',
    tag: 'leads',
    access: everyone,
    params: IdParam,
    response: LeadDetail,
    handler: async ({ deps, principal, params }) => getLead(deps, { principal, id: params.id }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/leads/:id/actions',
    summary: 'Queue action on a lead: accept, reject/skip/disqualify with a reason',
    tag: 'queue',
    access: queueWorkers,
    params: IdParam,
    body: QueueActionRequest,
    response: QueueActionResponse,
    writes: true,
    handler: async ({ deps, principal, params, body }) =>
      applyQueueAction(deps, { principal, leadId: params.id, input: body }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/queue',
    summary: "A rep's work queue, next lead first (managers and admins name the rep with ?rep=)",
    tag: 'queue',
    access: queueWorkers,
    query: QueueQuery,
    response: Queue,
    handler: async ({ deps, principal, query }) => getQueue(deps, { principal, query }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/reps',
    summary: 'Reps the caller may see',
    tag: 'reps',
    access: everyone,
    response: RepList,
    handler: async ({ deps, principal }) => listReps(deps, principal),
  }),
  defineRoute({
    method: 'post',
    path: '/api/activities',
    summary:
      'Ingest captured activities, one or a batch (idempotent on source + sourceKey); Bearer token or admin',
    tag: 'activities',
    access: adminOnly,
    body: IngestActivitiesRequest,
    response: IngestActivitiesResponse,
    writes: true,
    handler: async ({ deps, body }) => ingestActivities(deps, body),
  }),
  defineRoute({
    method: 'get',
    path: '/api/reports/:name',
    summary: 'A report as JSON, or CSV with ?format=csv (managers: their team only)',
    tag: 'reports',
    access: reporting,
    params: z.object({ name: ReportName }),
    query: ReportQuery,
    response: ReportResult,
    csv: true,
    handler: async ({ deps, principal, params, query, c }) => {
      const report = await getReport(deps, { principal, name: params.name, query });
      const csv = query.format === 'csv';
      const gzip = !csv && /\bgzip\b/.test(c.req.header('accept-encoding') ?? '');
      const variant = csv ? report.csv : gzip ? report.jsonGzip : report.json;
      // The browser may keep a report but must ask again; an unchanged one answers 304 without a body.
      const headers: Record<string, string> = {
        etag: variant.etag,
        'cache-control': 'private, no-cache',
        vary: 'accept-encoding',
      };
      if (c.req.header('if-none-match') === variant.etag) return c.body(null, 304, headers);
      if (csv) {
        headers['content-type'] = 'text/csv; charset=utf-8';
        headers['content-disposition'] = `attachment; filename="${params.name}.csv"`;
      } else {
        headers['content-type'] = 'application/json; charset=utf-8';
        if (gzip) headers['content-encoding'] = 'gzip';
      }
      return c.body(variant.bytes as Uint8Array<ArrayBuffer>, 200, headers);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/imports',
    summary: 'Recent import runs with status and summary',
    tag: 'imports',
    access: adminOnly,
    response: ImportRunList,
    handler: async ({ deps }) => listImportRuns(deps.store.db, deps.importJobs),
  }),
  defineRoute({
    method: 'post',
    path: '/api/imports',
    summary:
      'Upload a CSV / mbox / ics file (multipart: file, kind, preset); the import runs in the background (poll GET /api/imports/:id)',
    tag: 'imports',
    access: adminOnly,
    body: CreateImportForm.extend({ file: z.string().meta({ format: 'binary' }) }),
    bodyType: 'multipart',
    response: ImportRun,
    status: 202,
    writes: true,
    handler: async ({ deps, c }) => createImport(deps, await c.req.formData()),
  }),
  defineRoute({
    method: 'get',
    path: '/api/imports/:id',
    summary: 'One import run: status (running, done, failed) and summary',
    tag: 'imports',
    access: adminOnly,
    params: IdParam,
    response: ImportRun,
    handler: async ({ deps, params }) => getImportRun(deps.store.db, params.id, deps.importJobs),
  }),
  defineRoute({
    method: 'get',
    path: '/api/imports/:id/rejects',
    summary: "An import run's rejected rows as CSV (line, field, reason, raw row)",
    tag: 'imports',
    access: adminOnly,
    params: IdParam,
    response: z.string().meta({ description: 'text/csv' }),
    handler: async ({ deps, params, c }) => {
      const { name, csv } = await getImportRejects(deps, params.id);
      return c.body(new Uint8Array(csv), 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${name}"`,
      });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/sla-policies',
    summary: 'SLA policies in order (first match wins)',
    tag: 'settings',
    access: reporting,
    response: SlaPolicyList,
    handler: async ({ deps }) => getSlaPolicies(deps.store.db),
  }),
  defineRoute({
    method: 'put',
    path: '/api/sla-policies',
    summary: 'Replace the SLA policies (validated)',
    tag: 'settings',
    access: adminOnly,
    body: PutSlaPolicies,
    response: SlaPolicyList,
    writes: true,
    handler: async ({ deps, body }) => putSlaPolicies(deps.store.db, { input: body, now: deps.now() }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/scoring-rules',
    summary: 'Scoring rules (fit and behaviour groups)',
    tag: 'settings',
    access: reporting,
    response: ScoringRules,
    handler: async ({ deps }) => getScoringRules(deps.store.db),
  }),
  defineRoute({
    method: 'put',
    path: '/api/scoring-rules',
    summary: 'Replace the scoring rules (validated)',
    tag: 'settings',
    access: scoringEditors,
    body: ScoringRules,
    response: ScoringRules,
    writes: true,
    handler: async ({ deps, body }) => putScoringRules(deps.store.db, { input: body, now: deps.now() }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/mql-bar',
    summary:
      'The MQL bar: score threshold, minimum fit and hand-over events (below it leads stay in nurture)',
    tag: 'settings',
    access: reporting,
    response: MqlBar,
    handler: async ({ deps }) => getMqlBar(deps.store.db),
  }),
  defineRoute({
    method: 'put',
    path: '/api/mql-bar',
    summary: 'Set the MQL bar (validated); nurture leads cross it at the next score recompute',
    tag: 'settings',
    access: scoringEditors,
    body: MqlBar,
    response: MqlBar,
    writes: true,
    handler: async ({ deps, body }) => putMqlBar(deps.store.db, { input: body, now: deps.now() }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/attractiveness',
    summary:
      'What makes a lead look attractive (titles, company tiers and brands, industries), for cherry-pick detection',
    tag: 'settings',
    access: reporting,
    response: Attractiveness,
    handler: async ({ deps }) => getAttractiveness(deps.store.db),
  }),
  defineRoute({
    method: 'put',
    path: '/api/attractiveness',
    summary: 'Replace the attractiveness config (validated; omitted sections take the defaults)',
    tag: 'settings',
    access: scoringEditors,
    body: Attractiveness,
    response: Attractiveness,
    writes: true,
    handler: async ({ deps, body }) => putAttractiveness(deps.store.db, { input: body, now: deps.now() }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/reason-codes',
    summary:
      'Reason codes for rejecting, disqualifying and skipping leads (everyone: the queue asks for them)',
    tag: 'settings',
    access: everyone,
    response: ReasonCodes,
    handler: async ({ deps }) => getReasonCodes(deps.store.db),
  }),
  defineRoute({
    method: 'put',
    path: '/api/reason-codes',
    summary: 'Replace the reason codes (validated)',
    tag: 'settings',
    access: adminOnly,
    body: ReasonCodes,
    response: ReasonCodes,
    writes: true,
    handler: async ({ deps, body }) => putReasonCodes(deps.store.db, { input: body, now: deps.now() }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/imap-accounts',
    summary:
      'IMAP accounts for `gleaner capture imap --account <name>` (never the password or where it is kept)',
    tag: 'admin',
    access: adminOnly,
    response: ImapAccountList,
    handler: async ({ deps }) => ({ accounts: await listImapAccounts(deps.store.db) }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/imap-accounts',
    summary: 'Add an IMAP account; its password stays in the environment variable or file it names',
    tag: 'admin',
    access: adminOnly,
    body: CreateImapAccount,
    response: ImapAccountView,
    status: 201,
    handler: async ({ deps, body }) => createImapAccount(deps.store.db, { input: body, now: deps.now() }),
  }),
  defineRoute({
    method: 'put',
    path: '/api/imap-accounts/:id',
    summary: 'Replace an IMAP account (omit passwordEnv and passwordFile to keep its secret source)',
    tag: 'admin',
    access: adminOnly,
    params: IdParam,
    body: UpdateImapAccount,
    response: ImapAccountView,
    handler: async ({ deps, params, body }) =>
      updateImapAccount(deps.store.db, { id: params.id, input: body, now: deps.now() }),
  }),
  defineRoute({
    method: 'delete',
    path: '/api/imap-accounts/:id',
    summary: 'Remove an IMAP account (its capture cursors stay: adding it again resumes)',
    tag: 'admin',
    access: adminOnly,
    params: IdParam,
    response: ImapAccountView,
    handler: async ({ deps, params }) => deleteImapAccount(deps.store.db, params.id),
  }),
  defineRoute({
    method: 'get',
    path: '/api/users',
    summary: 'Users',
    tag: 'admin',
    access: adminOnly,
    response: UserList,
    handler: async ({ deps }) => ({ users: await listUsers(deps.store.db) }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/users',
    summary: 'Add a user (rep users name their rep, managers their team)',
    tag: 'admin',
    access: adminOnly,
    body: CreateUserRequest,
    response: User,
    status: 201,
    handler: async ({ deps, body }) => createUser(deps.store.db, { input: body, now: deps.now() }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/tokens',
    summary: 'API tokens (never the secrets)',
    tag: 'admin',
    access: adminOnly,
    response: ApiTokenList,
    handler: async ({ deps }) => ({ tokens: await listApiTokens(deps.store.db) }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/tokens',
    summary: 'Create an API token for a user (default: the caller); the secret is in this answer only',
    tag: 'admin',
    access: adminOnly,
    body: CreateTokenRequest,
    response: CreatedToken,
    status: 201,
    handler: async ({ deps, principal, body }) =>
      createApiToken(deps.store.db, {
        userId: body.userId ?? principal.userId,
        name: body.name,
        now: deps.now(),
      }),
  }),
  defineRoute({
    method: 'delete',
    path: '/api/tokens/:id',
    summary: 'Revoke an API token',
    tag: 'admin',
    access: adminOnly,
    params: IdParam,
    response: ApiToken,
    handler: async ({ deps, params }) => {
      const token = await revokeApiToken(deps.store.db, { id: params.id, now: deps.now() });
      // The cache is keyed by the secret's hash, which the row no longer tells apart: forget the user's tokens.
      deps.principals.forget((key, p) => key.startsWith('token:') && p.userId === token.userId);
      return token;
    },
  }),
];

import type { Hono } from 'hono';
import { loadConfig } from '../config/config.ts';
import type { UserRole } from '../domain/words.ts';
import type { Store } from '../store/open-store.ts';
import { createServerApp } from './app.ts';
import { createUser } from './auth/users.ts';
import { loadServerConfig } from './server-config.ts';

/** Test-only: a small workspace with one user per role, two teams and leads owned by different reps. */
export type TestWorkspace = {
  app: Hono;
  ids: {
    teamEast: number;
    teamWest: number;
    repAna: number;
    repBen: number;
    repCid: number;
    leadAna: number;
    leadBen: number;
    leadCid: number;
    leadNurture: number;
    leadAnaClosed: number;
    importRun: number;
  };
  password: string;
  emails: Record<UserRole, string> & { repBen: string };
  /** Resolves when the imports started through the API have finished (call before closing the store). */
  importsIdle: () => Promise<void>;
  /** Logs in and returns the headers a browser would send (cookie + CSRF token). */
  login: (email: string) => Promise<{ cookie: string; csrf: string }>;
};

export const T0 = Date.UTC(2026, 9, 1);

/** A one-row lead CSV in the gleaner-leads preset's columns. */
export const leadsCsv = (n: number): string =>
  [
    'external_id,first_name,last_name,email,title,company,company_domain,industry,employees,country,source,campaign,score,handed_over_at,status,owner_ref',
    `N${n},Ada,Lane,ada${n}@newco.test,CTO,NewCo,newco.test,Software,120,DE,web,spring,71,2026-10-01T09:00:00Z,mql,ana`,
  ].join('\n');

export async function seedTestWorkspace(
  store: Store,
  options: { now?: () => number } = {},
): Promise<TestWorkspace> {
  const db = store.db;
  const now = T0;
  const team = (name: string) =>
    db.insertInto('teams').values({ name, created_at: now }).returning('id').executeTakeFirstOrThrow();
  const teamEast = (await team('East')).id;
  const teamWest = (await team('West')).id;
  const rep = (externalId: string, name: string, teamId: number) =>
    db
      .insertInto('reps')
      .values({
        external_id: externalId,
        name,
        email: `${externalId}@seller.test`,
        team_id: teamId,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
  const repAna = (await rep('ana', 'Ana Alves', teamEast)).id;
  const repBen = (await rep('ben', 'Ben Brook', teamEast)).id;
  const repCid = (await rep('cid', 'Cid Costa', teamWest)).id;
  for (const [id, ext] of [
    [repAna, 'ana'],
    [repBen, 'ben'],
    [repCid, 'cid'],
  ] as const) {
    await db
      .insertInto('rep_identities')
      .values({ rep_id: id, kind: 'email', value: `${ext}@seller.test` })
      .execute();
  }
  const lead = (
    externalId: string,
    fields: { owner: number | null; status: string; score: number; handed: number | null; source: string },
  ) =>
    db
      .insertInto('leads')
      .values({
        external_id: externalId,
        name: `Lead ${externalId}`,
        email: `${externalId.toLowerCase()}@buyer.test`,
        company: `Co ${externalId}`,
        title: 'VP Sales',
        source: fields.source,
        campaign: 'spring',
        score: fields.score,
        status: fields.status,
        owner_rep_id: fields.owner,
        handed_over_at: fields.handed,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
  const leadAna = (
    await lead('L1', { owner: repAna, status: 'mql', score: 80, handed: now + 1000, source: 'webinar' })
  ).id;
  const leadBen = (
    await lead('L2', { owner: repBen, status: 'working', score: 60, handed: now + 2000, source: 'web' })
  ).id;
  const leadCid = (
    await lead('L3', { owner: repCid, status: 'mql', score: 70, handed: now + 3000, source: 'web' })
  ).id;
  const leadNurture = (
    await lead('L4', { owner: repAna, status: 'nurture', score: 20, handed: null, source: 'content' })
  ).id;
  const leadAnaClosed = (
    await lead('L5', { owner: repAna, status: 'qualified', score: 90, handed: now + 500, source: 'partner' })
  ).id;
  await db
    .insertInto('lead_stats')
    .values({
      lead_id: leadBen,
      touches: 2,
      calls: 1,
      emails: 1,
      first_touch_at: now + 3000,
      last_touch_at: now + 9000,
      updated_at: now,
    })
    .execute();
  const importRun = (
    await db
      .insertInto('import_runs')
      .values({
        kind: 'leads',
        file: 'leads.csv',
        started_at: now,
        finished_at: now + 10,
        status: 'done',
        summary: '{"read":5}',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;

  const password = 'correct horse battery staple';
  const emails = {
    admin: 'admin@seller.test',
    marketing: 'mops@seller.test',
    manager: 'east.manager@seller.test',
    rep: 'ana@seller.test',
    repBen: 'ben@seller.test',
  };
  const add = (email: string, role: UserRole, extra: { repId?: number; teamId?: number } = {}) =>
    createUser(db, { input: { email, role, password, ...extra }, now, passwordCost: 2 ** 10 });
  await add(emails.admin, 'admin');
  await add(emails.marketing, 'marketing');
  await add(emails.manager, 'manager', { teamId: teamEast });
  await add(emails.rep, 'rep', { repId: repAna });
  await add(emails.repBen, 'rep', { repId: repBen });

  const config = loadServerConfig(loadConfig({}), { GLEANER_WEB_ROOT: '/nonexistent-gleaner-web' });
  const { app, importJobs } = createServerApp(config, store, {
    now: options.now ?? (() => now + 86_400_000),
    logError: () => {},
  });
  const login = async (email: string) => {
    const res = await app.request('/api/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${await res.text()}`);
    const me = (await res.json()) as { csrfToken: string };
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    return { cookie, csrf: me.csrfToken };
  };
  return {
    app,
    importsIdle: importJobs.idle,
    ids: {
      teamEast,
      teamWest,
      repAna,
      repBen,
      repCid,
      leadAna,
      leadBen,
      leadCid,
      leadNurture,
      leadAnaClosed,
      importRun,
    },
    password,
    emails,
    login,
  };
}

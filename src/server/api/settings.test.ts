import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAttractivenessConfig } from '../../attributes/attractiveness.ts';
import { loadStoredImapAccount } from '../../capture/imap-accounts.ts';
import { handOverCrossingLeads } from '../../scoring/nurture.ts';
import type { Store } from '../../store/open-store.ts';
import { testEngines } from '../../testing/engines.ts';
import { seedTestWorkspace, type TestWorkspace } from '../test-workspace.ts';
import { Attractiveness, ImapAccountList, ImapAccountView, MqlBar, ReasonCodes } from './settings.types.ts';

type Who = 'admin' | 'marketing' | 'manager' | 'rep';

describe.each(testEngines())(
  'settings API (attractiveness, MQL bar, reason codes, IMAP) on $name',
  (engine) => {
    let store: Store;
    let ws: TestWorkspace;
    const as: Partial<Record<Who, { cookie: string; csrf: string }>> = {};
    beforeAll(async () => {
      store = await engine.open();
      ws = await seedTestWorkspace(store);
      for (const who of ['admin', 'marketing', 'manager', 'rep'] as const)
        as[who] = await ws.login(ws.emails[who]);
    });
    afterAll(async () => {
      await store?.close();
    });

    const call = async (who: Who, method: string, path: string, body?: unknown) => {
      const s = as[who]!;
      const res = await ws.app.request(path, {
        method,
        headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, text, body: JSON.parse(text) as unknown };
    };
    /** A 400 whose error names `field` (in its location and its message). */
    const expectBadField = (res: { status: number; body: unknown }, field: string) => {
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body).toMatchObject({ error: { code: 'bad_input', location: { field } } });
      expect((res.body as { error: { message: string } }).error.message).toContain(field);
    };

    it('attractiveness: defaults, field-naming 400s, and a round trip the cherry-pick engine reads', async () => {
      const before = Attractiveness.parse((await call('manager', 'GET', '/api/attractiveness')).body);
      expect(before.seniority.attractive).toEqual(['c_level', 'vp']);
      expectBadField(
        await call('admin', 'PUT', '/api/attractiveness', {
          company: { bands: { enterpriseEmployees: 'many' } },
        }),
        'body.company.bands.enterpriseEmployees',
      );
      expectBadField(
        await call('marketing', 'PUT', '/api/attractiveness', { seniority: { attractive: ['emperor'] } }),
        'body.seniority.attractive.0',
      );
      expectBadField(await call('admin', 'PUT', '/api/attractiveness', { colour: 'blue' }), 'body');
      const config = {
        seniority: { attractive: ['c_level'], label: 'C-suite' },
        company: {
          tiers: ['enterprise', 'mid_market'],
          brands: { names: ['Globex'], domains: ['initech.com'] },
        },
        industry: { favoured: ['Software'] },
      };
      const saved = await call('marketing', 'PUT', '/api/attractiveness', config);
      expect(saved.status).toBe(200);
      const got = Attractiveness.parse((await call('admin', 'GET', '/api/attractiveness')).body);
      expect(got).toEqual(saved.body);
      expect(got.seniority).toMatchObject({ attractive: ['c_level'], label: 'C-suite' });
      expect(got.company.brands).toEqual({ names: ['Globex'], domains: ['initech.com'] });
      expect(got.company.bands.enterpriseEmployees).toBe(1000);
      // What `gleaner attractiveness show` and the cherry-pick report read.
      expect(await loadAttractivenessConfig(store.db)).toEqual(got);
    });

    it('MQL bar: defaults, field-naming 400s, and a bar the hand-over reads', async () => {
      expect(MqlBar.parse((await call('manager', 'GET', '/api/mql-bar')).body)).toEqual({
        threshold: null,
        events: [],
      });
      expectBadField(await call('marketing', 'PUT', '/api/mql-bar', { threshold: 'high' }), 'body.threshold');
      expectBadField(
        await call('admin', 'PUT', '/api/mql-bar', { threshold: 10, events: [''] }),
        'body.events.0',
      );
      expectBadField(await call('admin', 'PUT', '/api/mql-bar', { treshold: 10 }), 'body');
      const put = await call('marketing', 'PUT', '/api/mql-bar', {
        threshold: 15,
        minFit: 0,
        events: ['demo_request'],
      });
      expect(put.body).toEqual({ threshold: 15, minFit: 0, events: ['demo_request'] });
      expect((await call('admin', 'GET', '/api/mql-bar')).body).toEqual(put.body);
      // The nurture lead (score 20) crosses a bar of 15 at the next recompute's hand-over.
      const handed = await handOverCrossingLeads(store.db, { now: Date.now() });
      expect(handed.handedOver).toEqual([ws.ids.leadNurture]);
    });

    it('reason codes: field-naming 400s, and the queue accepts exactly the saved codes', async () => {
      const defaults = ReasonCodes.parse((await call('rep', 'GET', '/api/reason-codes')).body);
      expect(defaults.skip.map((r) => r.code)).toContain('needs_research');
      expectBadField(
        await call('admin', 'PUT', '/api/reason-codes', {
          ...defaults,
          rejection: [{ code: 'Bad Code', label: 'x', category: 'procedural' }],
        }),
        'body.rejection.0.code',
      );
      expectBadField(
        await call('admin', 'PUT', '/api/reason-codes', {
          ...defaults,
          rejection: [{ code: 'dup', label: 'x', category: 'cosmic' }],
        }),
        'body.rejection.0.category',
      );
      expectBadField(await call('admin', 'PUT', '/api/reason-codes', { ...defaults, skip: [] }), 'body.skip');
      const codes = {
        ...defaults,
        skip: [{ code: 'at_conference', label: 'At a conference this week' }],
      };
      expect((await call('admin', 'PUT', '/api/reason-codes', codes)).body).toEqual(codes);
      expect((await call('rep', 'GET', '/api/reason-codes')).body).toEqual(codes);
      const skip = (reasonCode: string) =>
        call('rep', 'POST', `/api/leads/${ws.ids.leadAna}/actions`, { action: 'skip', reasonCode });
      expect((await skip('needs_research')).status).toBe(400);
      expect((await skip('at_conference')).status).toBe(200);
    });

    it('IMAP accounts: add, list, replace (keeping or switching the secret source), delete — never a password', async () => {
      const base = { name: 'sales-inbox', host: 'imap.seller.test', user: 'sales@seller.test' };
      // No endpoint takes a password, and the refusal does not echo it.
      const withPassword = await call('admin', 'POST', '/api/imap-accounts', {
        ...base,
        password: 'hunter2-hunter2',
      });
      expectBadField(withPassword, 'body');
      expect(withPassword.text).not.toContain('hunter2');
      expectBadField(await call('admin', 'POST', '/api/imap-accounts', base), 'body.passwordEnv');
      expectBadField(
        await call('admin', 'POST', '/api/imap-accounts', {
          ...base,
          passwordEnv: 'IMAP_A',
          passwordFile: '/run/secrets/imap.password',
        }),
        'body.passwordEnv',
      );
      // A stored account may not aim the capture at the host's other secrets.
      expectBadField(
        await call('admin', 'POST', '/api/imap-accounts', { ...base, passwordEnv: 'DATABASE_URL' }),
        'body.passwordEnv',
      );
      for (const passwordFile of [
        'secrets/imap.password',
        '/etc/shadow',
        '/run/secrets/../../etc/x.password',
      ])
        expectBadField(
          await call('admin', 'POST', '/api/imap-accounts', { ...base, passwordFile }),
          'body.passwordFile',
        );
      expectBadField(
        await call('admin', 'POST', '/api/imap-accounts', {
          ...base,
          name: 'Sales Inbox',
          passwordEnv: 'IMAP_X',
        }),
        'body.name',
      );
      expectBadField(
        await call('admin', 'POST', '/api/imap-accounts', { ...base, port: 70000, passwordEnv: 'IMAP_X' }),
        'body.port',
      );

      const created = await call('admin', 'POST', '/api/imap-accounts', {
        ...base,
        passwordEnv: 'IMAP_SALES_PASSWORD',
      });
      expect(created.status).toBe(201);
      const account = ImapAccountView.parse(created.body);
      expect(account).toMatchObject({
        ...base,
        port: 993,
        tls: true,
        allowSelfSigned: false,
        folders: ['INBOX', 'Sent'],
        passwordSource: 'env',
      });
      expect(created.text).not.toContain('IMAP_SALES_PASSWORD');
      const duplicate = await call('admin', 'POST', '/api/imap-accounts', { ...base, passwordEnv: 'IMAP_X' });
      expect(duplicate.status).toBe(409);
      expect(duplicate.body).toMatchObject({ error: { location: { field: 'name' } } });

      // Replacing without a secret source keeps the stored one.
      const replaced = await call('admin', 'PUT', `/api/imap-accounts/${account.id}`, {
        ...base,
        host: 'mail.seller.test',
        port: 1143,
        tls: false,
        folders: ['INBOX'],
      });
      expect(replaced.status).toBe(200);
      expect(replaced.body).toMatchObject({
        host: 'mail.seller.test',
        port: 1143,
        tls: false,
        passwordSource: 'env',
      });
      expect(await loadStoredImapAccount(store.db, 'sales-inbox')).toEqual({
        host: 'mail.seller.test',
        port: 1143,
        tls: false,
        allowSelfSigned: false,
        user: 'sales@seller.test',
        passwordEnv: 'IMAP_SALES_PASSWORD',
        folders: ['INBOX'],
      });
      const switched = await call('admin', 'PUT', `/api/imap-accounts/${account.id}`, {
        ...base,
        passwordFile: '/run/secrets/imap-sales.password',
      });
      expect(switched.body).toMatchObject({ passwordSource: 'file', host: 'imap.seller.test' });
      expect(switched.text).not.toContain('/run/secrets');
      const stored = await loadStoredImapAccount(store.db, 'sales-inbox');
      expect(stored.passwordFile).toBe('/run/secrets/imap-sales.password');
      expect(stored.passwordEnv).toBeUndefined();

      const other = ImapAccountView.parse(
        (
          await call('admin', 'POST', '/api/imap-accounts', {
            ...base,
            name: 'support',
            passwordEnv: 'IMAP_SUPPORT',
          })
        ).body,
      );
      const renameClash = await call('admin', 'PUT', `/api/imap-accounts/${other.id}`, base);
      expect(renameClash.status).toBe(409);
      const list = ImapAccountList.parse((await call('admin', 'GET', '/api/imap-accounts')).body);
      expect(list.accounts.map((a) => [a.name, a.passwordSource])).toEqual([
        ['sales-inbox', 'file'],
        ['support', 'env'],
      ]);

      expect((await call('admin', 'DELETE', `/api/imap-accounts/${account.id}`)).status).toBe(200);
      expect((await call('admin', 'DELETE', `/api/imap-accounts/${account.id}`)).status).toBe(404);
      expect((await call('admin', 'PUT', `/api/imap-accounts/${account.id}`, base)).status).toBe(404);
      const after = ImapAccountList.parse((await call('admin', 'GET', '/api/imap-accounts')).body);
      expect(after.accounts.map((a) => a.name)).toEqual(['support']);
    });
  },
);

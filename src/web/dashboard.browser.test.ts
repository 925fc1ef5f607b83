import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MQL_BAR_KEY, MqlBarSetting } from '../scoring/nurture.ts';
import type { ReportResult } from '../server/api/reports.types.ts';
import { readSetting } from '../settings/workspace-settings.ts';
import {
  buildDashboard,
  chromiumArgs,
  chromiumPath,
  type DashboardServer,
  startDashboardServer,
} from './testing/dashboard-server.ts';

const hasChromium = existsSync(chromiumPath);
if (!hasChromium)
  console.warn(`dashboard browser tests skipped: no chromium at ${chromiumPath} (apt-get install chromium)`);

const shots = join(process.cwd(), '.artifacts', 'screenshots');
const logins = {
  admin: ['admin@gleaner-demo.example', 'admin-demo'],
  marketing: ['marketing@gleaner-demo.example', 'marketing-demo'],
  manager: ['manager@gleaner-demo.example', 'manager-demo'],
  rep: ['rep@gleaner-demo.example', 'rep-demo'],
} as const;
type Role = keyof typeof logins;

/** Navigation each role must see, and must not see (the server refuses the same). */
const navByRole: Record<Role, { sees: string[]; hidden: string[] }> = {
  admin: {
    sees: ['Overview', 'Queue', 'SLA board', 'Reps', 'Cherry-pick', 'Imports', 'Settings'],
    hidden: [],
  },
  marketing: {
    sees: ['Overview', 'SLA board', 'Cherry-pick', 'Settings'],
    hidden: ['Queue', 'Reps', 'Imports'],
  },
  manager: {
    sees: ['Overview', 'SLA board', 'Reps', 'Cherry-pick', 'Queue', 'Settings'],
    hidden: ['Imports'],
  },
  rep: { sees: ['Queue', 'SLA board'], hidden: ['Overview', 'Reps', 'Cherry-pick', 'Imports', 'Settings'] },
};

describe.skipIf(!hasChromium)('dashboard in a real browser (chromium)', () => {
  let server: DashboardServer;
  let context: BrowserContext;
  let page: Page;
  const temp = mkdtempSync(join(tmpdir(), 'gleaner-browser-'));

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    const webRoot = join(temp, 'web');
    await buildDashboard(webRoot);
    server = await startDashboardServer({ webRoot, leads: 600, now: Date.now() });
    context = await chromium.launchPersistentContext(join(temp, 'profile'), {
      executablePath: chromiumPath,
      args: chromiumArgs,
      viewport: { width: 1280, height: 900 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(20_000);
  });

  afterAll(async () => {
    await context?.close();
    await server?.close();
    rmSync(temp, { recursive: true, force: true });
  });

  async function signIn(role: Role): Promise<void> {
    await context.clearCookies();
    await page.goto('about:blank');
    await page.goto(`${server.url}/#/`);
    const [email, password] = logins[role];
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('who').waitFor();
  }

  async function shot(name: string): Promise<void> {
    await page.waitForFunction(() => !document.querySelector('.state.loading'), null, { timeout: 10_000 });
    await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  }

  it('refuses a wrong password in words', async () => {
    await page.goto(`${server.url}/#/`);
    await page.getByLabel('E-mail').fill('admin@gleaner-demo.example');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('wrong email or password');
    await shot('login-error');
  });

  it.each(Object.keys(logins) as Role[])('%s sees their pages and not the others', async (role) => {
    await signIn(role);
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const label of navByRole[role].sees)
      await expect(nav.getByRole('link', { name: label, exact: true }).count()).resolves.toBe(1);
    for (const label of navByRole[role].hidden)
      await expect(nav.getByRole('link', { name: label, exact: true }).count()).resolves.toBe(0);
    await shot(`home-${role}`);
    if (role === 'rep') {
      await page.goto(`${server.url}/#/overview`);
      await expect
        .poll(() => page.getByRole('alert').first().textContent())
        .toContain('may not open this page');
    }
  });

  it('shows on the overview the same numbers the API answers (or says in words that a report is missing)', async () => {
    await signIn('admin');
    await page.goto(`${server.url}/#/overview`);
    const card = page.getByTestId('overview-coverage');
    await card.locator('.state.loading').waitFor({ state: 'detached' });
    const since = await page.getByLabel('From', { exact: true }).inputValue();
    const until = await page.getByLabel('To', { exact: true }).inputValue();
    const api = await page.evaluate(
      async (q) => {
        const r = await fetch(`/api/reports/coverage?by=week&since=${q.since}&until=${q.until}`);
        return { status: r.status, body: await r.json() };
      },
      { since, until },
    );
    if (api.status === 200) {
      const report = api.body as ReportResult;
      const cells = await card
        .locator('tbody tr')
        .evaluateAll((rows) =>
          rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent ?? '')),
        );
      expect(cells.length).toBe(report.rows.length);
      const expected = report.rows.map((row) =>
        report.columns.map((c) => {
          const v = row[c];
          if (v === null || v === undefined) return '—';
          // Shares (`properly_pct`) show as percentages, one decimal under 10 %.
          if (typeof v === 'number' && c.endsWith('_pct'))
            return `${(v * 100).toFixed(v !== 0 && Math.abs(v) < 0.1 ? 1 : 0)}%`;
          if (typeof v === 'number')
            return v.toLocaleString('en-US', { maximumFractionDigits: Number.isInteger(v) ? 0 : 2 });
          return String(v);
        }),
      );
      expect(cells).toEqual(expected);
    } else {
      expect(api.status).toBe(503);
      await expect(card.getByRole('note').textContent()).resolves.toContain(
        (api.body as { error: { message: string } }).error.message,
      );
    }
    await shot('overview-admin');
  });

  it('opens a lead from the SLA board, with its timeline and why each touch matched', async () => {
    await signIn('manager');
    await page.goto(`${server.url}/#/sla`);
    const board = page.getByTestId('sla-board');
    await board.locator('tbody tr').first().waitFor();
    await shot('sla-board-manager');
    // A manager sees only their team's leads (demo manager: team East).
    const owners = await board.locator('tbody tr td:nth-child(5)').allTextContents();
    expect(owners.length).toBeGreaterThan(0);
    for (const owner of owners)
      expect(['Ana Ruiz', 'Ben Okafor', 'Chloe Martin', 'Dev Patel']).toContain(owner);
    // Only leads at risk or breached, each saying what is wrong.
    const states = await board.locator('tbody tr td:nth-child(6)').allTextContents();
    expect(new Set(states).size).toBeGreaterThan(0);
    for (const state of states) expect(['at risk', 'breached']).toContain(state);
    const why = await board.locator('tbody tr td:nth-child(8)').allTextContents();
    for (const text of why)
      expect(text).toMatch(/late|past the first-touch deadline|over the allowed|short|due soon/);
    const first = board.locator('tbody tr').first();
    const name = (await first.locator('td').first().textContent()) ?? '';
    await first.click();
    await expect.poll(() => page.getByTestId('lead-name').textContent()).toBe(name);
    await expect(page.getByText('handed over (nurture → mql)').count()).resolves.toBe(1);
    await shot('lead-untouched-manager');
    // A lead being worked: its timeline says why each touch matched.
    await page.goto(`${server.url}/#/sla`);
    await page.getByLabel('Rep', { exact: true }).selectOption({ label: 'Ana Ruiz' });
    await expect
      .poll(async () => [...new Set(await board.locator('tbody tr td:nth-child(5)').allTextContents())])
      .toEqual(['Ana Ruiz']);
    const working = await page.evaluate(async () => {
      const r = await fetch('/api/leads?status=working&pageSize=1&sort=-handed_over_at');
      return ((await r.json()) as { items: Array<{ id: number; name: string }> }).items[0];
    });
    expect(working).toBeDefined();
    await page.goto(`${server.url}/#/leads/${working?.id}`);
    await expect.poll(() => page.getByTestId('lead-name').textContent()).toBe(working?.name);
    const timeline = page.getByTestId('lead-timeline');
    await expect(timeline.getByText('Matched because:').first().textContent()).resolves.toMatch(
      /the lead's (e-mail address|phone number)/,
    );
    await shot('lead-manager');
  });

  it('lets a rep skip a lead with a reason, and records it', async () => {
    await signIn('rep');
    await page.goto(`${server.url}/#/queue`);
    const next = page.getByTestId('queue-next');
    await next.waitFor();
    await shot('queue-rep');
    const href = (await next.getByRole('heading').getByRole('link').getAttribute('href')) ?? '';
    const leadId = Number(href.split('/').pop());
    await next.getByRole('button', { name: 'Skip…' }).click();
    await next.getByLabel('Reason to skip').selectOption('needs_research');
    await next.getByLabel('Note (optional)').fill('check their CRM first');
    await next.getByRole('button', { name: 'Confirm skip' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('skip:');
    await expect
      .poll(async () => (await next.getByRole('heading').getByRole('link').getAttribute('href')) ?? '')
      .not.toBe(href);
    const events = await server.store.db
      .selectFrom('lead_events')
      .select(['kind', 'reason_code', 'reason_text'])
      .where('lead_id', '=', leadId)
      .where('kind', '=', 'skipped')
      .execute();
    expect(events).toEqual([
      { kind: 'skipped', reason_code: 'needs_research', reason_text: 'check their CRM first' },
    ]);
  });

  it('uploads a small CSV on the imports page and shows the summary', async () => {
    await signIn('admin');
    await page.goto(`${server.url}/#/imports`);
    const csv = join(temp, 'leads.csv');
    // Two rows in the Olist MQL export's format (the olist-mql preset is detected from the header).
    writeFileSync(
      csv,
      'mql_id,first_contact_date,landing_page_id,origin\n' +
        'web-upload-0001,2018-02-01,lp-1,organic_search\n' +
        'web-upload-0002,2018-02-02,lp-2,paid_search\n',
    );
    await page.getByLabel('File', { exact: true }).setInputFiles(csv);
    await page.getByRole('button', { name: 'Import' }).click();
    const summary = page.getByTestId('import-summary');
    await summary.waitFor();
    // The import runs in the background; the page polls it until it is done.
    await expect.poll(async () => (await summary.textContent()) ?? '', { timeout: 30_000 }).toMatch(/done/);
    const text = (await summary.textContent()) ?? '';
    expect(text).toContain('leads.csv');
    expect(text).toMatch(/inserted\s*2/);
    const stored = await server.store.db
      .selectFrom('leads')
      .select('external_id')
      .where('external_id', 'in', ['web-upload-0001', 'web-upload-0002'])
      .execute();
    expect(stored).toHaveLength(2);
    await shot('imports-admin');
  });

  it('shows cherry-pick verdicts and the left-on-the-vine list', async () => {
    await signIn('admin');
    await page.goto(`${server.url}/#/cherry-pick`);
    const verdicts = page.getByTestId('cherry-pick');
    await verdicts.waitFor({ timeout: 60_000 });
    await expect
      .poll(async () => (await verdicts.textContent()) ?? '', { timeout: 60_000 })
      .toMatch(/odds ratio|not enough data/i);
    await page.getByTestId('cherry-vine').waitFor();
    await shot('cherry-pick-admin');
  });

  it('lets an admin change the MQL bar and add an IMAP account in Settings, and keeps both', async () => {
    await signIn('admin');
    await page.goto(`${server.url}/#/settings`);
    await page.getByRole('tab', { name: 'Scoring & MQL bar' }).click();
    const bar = page.getByTestId('mql-bar');
    await bar.getByLabel('Score threshold').fill('62.5');
    await bar.getByLabel('Minimum fit (optional)').fill('');
    await bar.getByLabel(/^Events that hand over/).fill('demo_request, pricing_page');
    // Keyboard only: the save button is reachable and works with Enter.
    await bar.getByRole('button', { name: 'Save MQL bar' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => bar.getByRole('status').textContent()).toContain('score ≥ 62.5');
    expect(await readSetting(server.store.db, MQL_BAR_KEY, MqlBarSetting)).toEqual({
      threshold: 62.5,
      events: ['demo_request', 'pricing_page'],
    });
    await shot('settings-mql-bar-admin');
    await page.reload();
    await page.getByRole('tab', { name: 'Scoring & MQL bar' }).click();
    await expect.poll(() => page.getByLabel('Score threshold').inputValue()).toBe('62.5');

    await page.getByRole('tab', { name: 'IMAP accounts' }).click();
    const form = page.getByTestId('imap-form');
    await form.waitFor();
    await form.getByLabel('Name', { exact: true }).fill('sales-inbox');
    await form.getByLabel('Host', { exact: true }).fill('imap.gleaner-demo.example');
    await form.getByLabel('User', { exact: true }).fill('sales@gleaner-demo.example');
    await form.getByLabel(/^Folders/).fill('INBOX, Sent Items');
    await form.getByLabel('Password from').selectOption('env');
    // A variable the account may not name: the server refuses and says which field.
    await form.getByLabel('Variable name').fill('DATABASE_URL');
    await form.getByRole('button', { name: 'Add account' }).click();
    await expect.poll(() => form.getByRole('alert').textContent()).toContain('passwordEnv');
    await shot('settings-imap-error-admin');
    await form.getByLabel('Variable name').fill('IMAP_DEMO_SALES_PW');
    await form.getByLabel('Variable name').press('Enter');
    const panel = page.getByRole('tabpanel', { name: 'IMAP accounts' });
    const row = panel.locator('tbody tr', { hasText: 'sales-inbox' });
    await row.waitFor();
    expect(await row.textContent()).toContain('from an environment variable');
    const stored = await server.store.db
      .selectFrom('imap_accounts')
      .select(['name', 'host', 'user_name', 'password_env', 'password_file', 'folders'])
      .execute();
    expect(stored).toEqual([
      {
        name: 'sales-inbox',
        host: 'imap.gleaner-demo.example',
        user_name: 'sales@gleaner-demo.example',
        password_env: 'IMAP_DEMO_SALES_PW',
        password_file: null,
        folders: JSON.stringify(['INBOX', 'Sent Items']),
      },
    ]);
    // Where the password lives is never sent back to the browser.
    await page.reload();
    await page.getByRole('tab', { name: 'IMAP accounts' }).click();
    await row.waitFor();
    expect(await page.content()).not.toContain('IMAP_DEMO_SALES_PW');
    const listed = await page.evaluate(async () => (await fetch('/api/imap-accounts')).text());
    expect(listed).toContain('sales-inbox');
    expect(listed).not.toContain('IMAP_DEMO_SALES_PW');
    await shot('settings-imap-admin');
  });

  it('shows a manager the scoring settings read-only', async () => {
    await signIn('manager');
    await page.goto(`${server.url}/#/settings`);
    await page.getByRole('tab', { name: 'Scoring & MQL bar' }).click();
    const bar = page.getByTestId('mql-bar');
    await bar.waitFor();
    await expect(bar.getByRole('button', { name: 'Save MQL bar' }).count()).resolves.toBe(0);
    await expect(bar.getByLabel('Score threshold').getAttribute('readonly')).resolves.not.toBeNull();
    await expect(page.getByRole('tab', { name: 'IMAP accounts' }).count()).resolves.toBe(0);
    await shot('settings-scoring-manager');
  });

  it('does not let a rep open Settings (page or API)', async () => {
    await signIn('rep');
    await page.goto(`${server.url}/#/settings`);
    await expect
      .poll(() => page.getByRole('alert').first().textContent())
      .toContain('may not open this page');
    const statuses = await page.evaluate(async () =>
      Promise.all(
        ['/api/mql-bar', '/api/attractiveness', '/api/imap-accounts', '/api/scoring-rules'].map(
          async (path) => (await fetch(path)).status,
        ),
      ),
    );
    expect(statuses).toEqual([403, 403, 403, 403]);
    await shot('settings-rep');
  });

  it('screens every page at phone width without horizontal page overflow', async () => {
    await signIn('admin');
    await page.setViewportSize({ width: 390, height: 844 });
    for (const path of ['overview', 'sla', 'reps', 'cherry-pick', 'settings']) {
      await page.goto(`${server.url}/#/${path}`);
      await page.locator('main h1').waitFor();
      await shot(`phone-${path}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${path} overflows`).toBeLessThanOrEqual(1);
    }
    for (const tab of ['Scoring & MQL bar', 'Attractiveness', 'Reason codes', 'IMAP accounts']) {
      await page.getByRole('tab', { name: tab }).click();
      const name = tab.toLowerCase().replace(/[^a-z]+/g, '-');
      await shot(`phone-settings-${name}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `settings ${tab} overflows`).toBeLessThanOrEqual(1);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    for (const path of ['reps', 'cherry-pick', 'settings']) {
      await page.goto(`${server.url}/#/${path}`);
      await page.locator('main h1').waitFor();
      await shot(`desktop-${path}`);
    }
  });
});

// Overview page: time until its data is on screen in a real browser (chromium, performance timing),
// on the server bench's cached 100,000-lead / ~2.1M-activity workspace (bench/workspace-cache.ts),
// served as `gleaner serve` does (reports in a worker thread). Cold (first load after start: every
// report computed), warm (cached; the browser revalidates with ETags), and right after a write
// through the server (every report recomputed). Baseline in the same run: the same number of
// requests for a static JSON file of the same total size, served by the same server. Target: ≤ 1 s.
// `node --import tsx bench/web.bench.ts [--quick]` (quick: 10,000 leads instead of 100,000).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { chromium, type Page } from 'playwright-core';
import { loadConfig } from '../src/config/config.ts';
import { createServerApp } from '../src/server/app.ts';
import { createApiToken } from '../src/server/auth/api-tokens.ts';
import { createUser } from '../src/server/auth/users.ts';
import { loadServerConfig } from '../src/server/server-config.ts';
import { openStore } from '../src/store/open-store.ts';
import { buildDashboard, chromiumArgs, chromiumPath } from '../src/web/testing/dashboard-server.ts';
import { scratchCopy, serverBenchWorkspace } from './workspace-cache.ts';

const quick = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
const leads = quick ? 10_000 : 100_000;
const runs = 7;
const email = 'bench@gleaner.test';
const password = 'bench password 123';

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};

async function main(): Promise<void> {
  if (!existsSync(chromiumPath)) {
    console.log(`web bench skipped: no chromium at ${chromiumPath}`);
    return;
  }
  const temp = mkdtempSync(join(tmpdir(), 'gleaner-web-bench-'));
  const webRoot = join(temp, 'web');
  await buildDashboard(webRoot);
  const cached = await serverBenchWorkspace(leads);
  const dbPath = scratchCopy(cached.path, temp);
  const server = await startServer({ dbPath, webRoot, uploadsDir: join(temp, 'uploads') });
  const counts = await server.store.db
    .selectFrom('activities')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  console.log(
    `workspace: ${leads.toLocaleString('en-US')} leads, ${Number(counts.n).toLocaleString('en-US')} activities (${cached.generated ? `generated in ${(cached.generateMs / 1000).toFixed(1)} s` : 'cached'}); load ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  const context = await chromium.launchPersistentContext(join(temp, 'profile'), {
    executablePath: chromiumPath,
    args: chromiumArgs,
    viewport: { width: 1280, height: 900 },
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(120_000);
    await page.goto(`${server.url}/#/`);
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('who').waitFor();

    const cold = await overviewLoad(page, server.url, 'cold');
    const overview: number[] = [];
    let last = cold;
    for (let i = 0; i < runs; i++) {
      last = await overviewLoad(page, server.url, `warm-${i}`);
      overview.push(last.ms);
    }
    const { bytes, requests } = last;
    // A write through the server (own writes are visible at once): every report is recomputed.
    const afterWrite: number[] = [];
    for (let i = 0; i < 3; i++) {
      await server.write();
      afterWrite.push((await overviewLoad(page, server.url, `write-${i}`)).ms);
    }

    // Baseline: a static page fetching `requests` copies of a JSON file as large as one report answer.
    const size = Math.max(2, Math.round(bytes / Math.max(1, requests)));
    writeFileSync(join(webRoot, 'bench-baseline.json'), JSON.stringify({ pad: 'x'.repeat(size - 12) }));
    writeFileSync(
      join(webRoot, 'bench-baseline.html'),
      `<!doctype html><script>Promise.all(Array.from({length:${requests}},(_, i)=>fetch('/bench-baseline.json?i='+i).then(r=>r.json()))).then(()=>{window.benchReady=performance.now()})</script>`,
    );
    const baseline: number[] = [];
    for (let i = 0; i < runs; i++) {
      await page.goto('about:blank');
      await page.goto(`${server.url}/bench-baseline.html?run=${i}`);
      const ready = await page.waitForFunction(
        () => (window as unknown as { benchReady?: number }).benchReady,
      );
      baseline.push((await ready.jsonValue()) as number);
    }
    const med = (v: number[]) => percentile(v, 50);
    console.log(
      `overview data ready, cold (first load after start, every report computed): ${cold.ms.toFixed(0)} ms`,
    );
    console.log(
      `overview data ready, warm: median ${med(overview).toFixed(0)} ms, p95 ${percentile(overview, 95).toFixed(0)} ms over ${runs} loads (${requests} report requests, ${bytes.toLocaleString('en-US')} bytes) — target ≤ 1000 ms: ${percentile(overview, 95) <= 1000 ? 'met' : 'MISSED'}`,
    );
    console.log(
      `overview data ready right after a write through the server: ${afterWrite.map((x) => x.toFixed(0)).join(', ')} ms`,
    );
    console.log(
      `baseline (static JSON, same requests and size, same server): median ${med(baseline).toFixed(0)} ms, p95 ${percentile(baseline, 95).toFixed(0)} ms`,
    );
    console.log(`ratio overview / baseline (median): ${(med(overview) / med(baseline)).toFixed(2)}×`);
    console.log(
      `peak RSS (server + bench process): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
    );
  } finally {
    await context.close();
    await server.close();
    rmSync(temp, { recursive: true, force: true });
  }
}

/** One overview load: ms from navigation start until every card has left its loading state. */
async function overviewLoad(
  page: Page,
  url: string,
  run: string,
): Promise<{ ms: number; bytes: number; requests: number }> {
  const bodies: Array<Promise<number>> = [];
  const onResponse = (response: { url: () => string; body: () => Promise<Buffer> }) => {
    if (!response.url().includes('/api/reports/')) return;
    bodies.push(
      response.body().then(
        (b) => b.length,
        () => 0,
      ),
    );
  };
  page.on('response', onResponse);
  await page.goto('about:blank');
  await page.goto(`${url}/?run=${run}#/overview`);
  const ready = await page.waitForFunction(
    () => {
      const cards = document.querySelectorAll('[data-testid^="overview-"]');
      if (cards.length === 0 || document.querySelector('[data-testid^="overview-"] .state.loading'))
        return false;
      return performance.now();
    },
    null,
    { polling: 'raf' },
  );
  const ms = (await ready.jsonValue()) as number;
  page.off('response', onResponse);
  const sizes = await Promise.all(bodies);
  return { ms, bytes: sizes.reduce((a, b) => a + b, 0), requests: sizes.length };
}

/** The workspace served as `gleaner serve` serves it (reports in a worker thread), with a bench admin. */
async function startServer(options: { dbPath: string; webRoot: string; uploadsDir: string }) {
  const store = await openStore({ url: options.dbPath });
  const admin = await createUser(store.db, {
    input: { email, role: 'admin', password },
    now: Date.now(),
  });
  const { token } = await createApiToken(store.db, { userId: admin.id, name: 'bench', now: Date.now() });
  const config = loadServerConfig(
    loadConfig({}, { db: options.dbPath }),
    { GLEANER_WEB_ROOT: options.webRoot, GLEANER_UPLOADS_DIR: options.uploadsDir },
    { port: 0, host: '127.0.0.1' },
  );
  const { app, close } = createServerApp(config, store, { reportWorker: true });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const auth = { authorization: `Bearer ${token}` };
  return {
    url,
    store,
    /** A write through the server's API (the reason codes, unchanged): bumps the data version. */
    write: async () => {
      const codes = await (await fetch(`${url}/api/reason-codes`, { headers: auth })).text();
      const res = await fetch(`${url}/api/reason-codes`, {
        method: 'PUT',
        headers: { ...auth, 'content-type': 'application/json' },
        body: codes,
      });
      if (res.status !== 200) throw new Error(`PUT /api/reason-codes: ${res.status}`);
    },
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await close();
      await store.close();
    },
  };
}

await main();

// Overview page: time until its data is on screen in a real browser (chromium, performance timing),
// on a large demo workspace. Baseline in the same run: the same number of requests for a static JSON
// file of the same total size, served by the same server. Target: ≤ 1 s.
// `node --import tsx bench/web.bench.ts [--quick]` (quick: 10,000 leads instead of 100,000).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import {
  buildDashboard,
  chromiumArgs,
  chromiumPath,
  startDashboardServer,
} from '../src/web/testing/dashboard-server.ts';

const quick = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
const leads = quick ? 10_000 : 100_000;
const runs = 7;

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
  const loadStart = performance.now();
  const server = await startDashboardServer({ webRoot, leads, now: Date.now() });
  const counts = await server.store.db
    .selectFrom('activities')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  console.log(
    `workspace: ${leads.toLocaleString('en-US')} leads, ${Number(counts.n).toLocaleString('en-US')} activities (loaded in ${((performance.now() - loadStart) / 1000).toFixed(1)} s)`,
  );
  const context = await chromium.launchPersistentContext(join(temp, 'profile'), {
    executablePath: chromiumPath,
    args: chromiumArgs,
    viewport: { width: 1280, height: 900 },
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(60_000);
    await page.goto(`${server.url}/#/`);
    await page.getByLabel('E-mail').fill('admin@gleaner-demo.example');
    await page.getByLabel('Password').fill('admin-demo');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('who').waitFor();

    // Ready: every overview card has left its loading state. Timed from the navigation's start.
    const overview: number[] = [];
    let bytes = 0;
    let requests = 0;
    for (let i = 0; i < runs; i++) {
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
      await page.goto(`${server.url}/?run=${i}#/overview`);
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
      overview.push((await ready.jsonValue()) as number);
      page.off('response', onResponse);
      const sizes = await Promise.all(bodies);
      bytes = sizes.reduce((a, b) => a + b, 0);
      requests = sizes.length;
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
      `overview data ready: median ${med(overview).toFixed(0)} ms, p95 ${percentile(overview, 95).toFixed(0)} ms over ${runs} loads (${requests} report requests, ${bytes.toLocaleString('en-US')} bytes) — target ≤ 1000 ms: ${percentile(overview, 95) <= 1000 ? 'met' : 'MISSED'}`,
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

await main();

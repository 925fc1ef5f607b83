import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { loadConfig } from '../../config/config.ts';
import { createDemoWorkspace } from '../../demo/create-demo.ts';
import { createApp } from '../../server/app.ts';
import { loadServerConfig } from '../../server/server-config.ts';
import { openStore, type Store } from '../../store/open-store.ts';

export const chromiumPath = '/usr/bin/chromium';
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Builds the dashboard with Vite into `outDir` (the same config `npm run build:web` uses). */
export async function buildDashboard(outDir: string): Promise<void> {
  const { build } = await import('vite');
  await build({
    configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
}

export type DashboardServer = { url: string; store: Store; close: () => Promise<void> };

/**
 * A demo workspace in a temporary SQLite file, served with the built dashboard on a free port of
 * 127.0.0.1: what `npm start` runs, smaller.
 */
export async function startDashboardServer(options: {
  webRoot: string;
  leads: number;
  now: number;
}): Promise<DashboardServer> {
  const dir = mkdtempSync(join(tmpdir(), 'gleaner-web-'));
  const dbPath = join(dir, 'demo.db');
  const store = await openStore({ url: dbPath });
  await createDemoWorkspace(store.db, {
    leads: options.leads,
    now: options.now,
    filesDir: join(dir, 'files'),
  });
  const config = loadServerConfig(
    loadConfig({}, { db: dbPath }),
    { GLEANER_WEB_ROOT: options.webRoot, GLEANER_UPLOADS_DIR: join(dir, 'uploads') },
    { port: 0, host: '127.0.0.1' },
  );
  const app = createApp(config, store);
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    store,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

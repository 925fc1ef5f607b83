import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { serve } from '@hono/node-server';
import type { Command } from 'commander';
import { z } from 'zod';
import { createDemoWorkspace } from '../../demo/create-demo.ts';
import { demoUsers } from '../../demo/load-demo.ts';
import { badInput } from '../../errors/app-error.ts';
import { createServerApp } from '../../server/app.ts';
import { loadServerConfig } from '../../server/server-config.ts';
import { openStore } from '../../store/open-store.ts';
import type { CliContext } from '../context.ts';

const Flags = z.object({
  db: z.string().min(1),
  leads: z.coerce.number().int().min(50).max(200_000),
  seed: z.coerce.number().int(),
  port: z.coerce.number().int().min(0).max(65_535),
  host: z.string().min(1),
  serve: z.boolean(),
});

export function registerLiveDemoCommands(program: Command, ctx: () => CliContext): void {
  program
    .command('live-demo')
    .description(
      'create a fresh demo workspace (leads, reps, captured mail/meetings/calls, one login per role) and serve the dashboard',
    )
    .option(
      '--demo-db <path>',
      'SQLite file for the demo workspace (recreated on every run)',
      './gleaner-demo.db',
    )
    .option('--leads <n>', 'number of demo leads', '3000')
    .option('--seed <n>', 'generator seed (same seed, same workspace)', '20261123')
    .option('--port <n>', 'HTTP port', '3000')
    .option('--host <host>', 'HTTP host', '127.0.0.1')
    .option('--no-serve', 'only create the workspace')
    .addHelpText('after', '\nExample:\n  gleaner live-demo --port 3000    # what `npm start` runs')
    .action(async (raw: Record<string, unknown>) => {
      const c = ctx();
      const parsed = Flags.safeParse({ ...raw, db: raw.demoDb });
      if (!parsed.success)
        throw badInput(
          `invalid flags: ${parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ')}`,
        );
      const flags = parsed.data;
      const dbPath = resolve(flags.db);
      mkdirSync(dirname(dbPath), { recursive: true });
      for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${dbPath}${suffix}`, { force: true });
      const store = await openStore({ url: dbPath });
      const started = Date.now();
      try {
        const summary = await createDemoWorkspace(store.db, {
          seed: flags.seed,
          leads: flags.leads,
          now: started,
          filesDir: join(dirname(dbPath), 'gleaner-demo-files'),
        });
        c.io.out(
          `demo workspace: ${summary.leads} leads, ${summary.activities} activities, ${summary.reps} reps at ${dbPath} (${Date.now() - started} ms)`,
        );
        c.io.out(`capture files: ${summary.files.mbox}, ${summary.files.ics}, ${summary.files.callsCsv}`);
      } finally {
        await store.close();
      }
      if (!flags.serve) {
        printLogins(c);
        return;
      }
      if (!existsSync(resolve('dist/web/index.html')))
        c.io.err(
          'the dashboard is not built: run `npm run build:web` (npm start does it); serving the API only',
        );
      const config = loadServerConfig({ ...c.config, databaseUrl: dbPath }, process.env, {
        port: flags.port,
        host: flags.host,
      });
      const served = await openStore({ url: dbPath });
      const { app, close } = createServerApp(config, served, { reportWorker: true });
      const server = serve(
        { fetch: app.fetch, port: config.server.port, hostname: config.server.host },
        (info) => {
          c.io.out(`\nGleaner demo: http://${config.server.host}:${info.port}/`);
          printLogins(c);
          c.io.out('Ctrl-C stops the server; the next run recreates the demo workspace.');
        },
      );
      await new Promise<void>((done) => {
        const stop = () =>
          server.close(
            () =>
              void close()
                .then(() => served.close())
                .then(done),
          );
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}

function printLogins(c: CliContext): void {
  c.io.out('demo logins (e-mail / password):');
  for (const user of demoUsers) c.io.out(`  ${user.role.padEnd(10)} ${user.email}  /  ${user.password}`);
}

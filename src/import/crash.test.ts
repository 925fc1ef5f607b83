import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store/open-store.ts';
import { openTempPostgres } from '../testing/engines.ts';
import { writeGeneratedLeads } from './generate-leads.ts';

// Kill `gleaner import` with SIGKILL mid-file, run it again, and check every row is stored exactly once.

const ROWS = 20_000;

type Target = {
  name: string;
  setup: () => Promise<{
    env: Record<string, string>;
    open: () => Promise<Store>;
    cleanup: () => Promise<void>;
  }>;
};

const targets: Target[] = [
  {
    name: 'sqlite',
    setup: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'gleaner-crash-'));
      const url = join(dir, 'crash.db');
      return {
        env: { DATABASE_URL: url },
        open: () => openStore({ url }),
        cleanup: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
];
const serverUrl = process.env.TEST_DATABASE_URL;
if (serverUrl) {
  targets.push({
    name: 'postgres',
    setup: async () => {
      // A throw-away database; the child process connects to it by URL.
      const holder = await openTempPostgres(serverUrl);
      const name = new URL(holder.location.replace('***', 'x')).pathname.slice(1);
      const url = new URL(serverUrl);
      url.pathname = `/${name}`;
      return {
        env: { DATABASE_URL: url.toString() },
        open: () => openStore({ url: url.toString() }),
        cleanup: () => holder.close(),
      };
    },
  });
}

function runImport(file: string, env: Record<string, string>): ChildProcess {
  return spawn(
    process.execPath,
    ['bin/gleaner.mjs', 'import', 'leads', file, '--preset', 'gleaner-leads', '--batch-size', '500'],
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}

const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );

describe.each(targets)('an import killed mid-file on $name', (target) => {
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gleaner-crash-file-'));
    file = join(dir, 'leads.csv');
    await writeGeneratedLeads({ path: file, rows: ROWS, seed: 7 });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('holds each row exactly once after a re-run', async () => {
    const t = await target.setup();
    try {
      const child = runImport(file, t.env);
      const done = exited(child);
      // Progress lines come on stderr (not a TTY): kill once a fifth of the file is in.
      await new Promise<void>((resolve, reject) => {
        let text = '';
        child.stderr?.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          const shares = [...text.matchAll(/import: (\d+)%/g)].map((m) => Number(m[1]));
          if (shares.some((share) => share >= 20)) resolve();
        });
        child.on('exit', () => reject(new Error(`import finished before it could be killed: ${text}`)));
      });
      child.kill('SIGKILL');
      expect((await done).signal).toBe('SIGKILL');

      const store = await t.open();
      try {
        const partial = Number(
          (
            await store.db
              .selectFrom('leads')
              .select(store.db.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
        expect(partial).toBeGreaterThan(0);
        expect(partial).toBeLessThan(ROWS);
        expect(partial % 500).toBe(0); // whole batches only: each is one transaction

        const rerun = runImport(file, t.env);
        let out = '';
        rerun.stdout?.on('data', (c: Buffer) => {
          out += c.toString();
        });
        expect((await exited(rerun)).code).toBe(0);
        expect(out).toContain(
          `read ${ROWS}, inserted ${ROWS - partial}, updated 0, unchanged ${partial}, rejected 0`,
        );

        const totals = await store.db
          .selectFrom('leads')
          .select((eb) => [
            eb.fn.countAll<number>().as('n'),
            eb.fn.count<number>('external_id').distinct().as('ids'),
          ])
          .executeTakeFirstOrThrow();
        expect(Number(totals.n)).toBe(ROWS);
        expect(Number(totals.ids)).toBe(ROWS);
        const last = await store.db
          .selectFrom('leads')
          .select(['external_id'])
          .where('external_id', '=', `L${String(ROWS).padStart(8, '0')}`)
          .execute();
        expect(last).toHaveLength(1);
        const runs = await store.db.selectFrom('import_runs').select('status').orderBy('id').execute();
        expect(runs.map((r) => r.status)).toEqual(['running', 'done']); // the killed run never finished
      } finally {
        await store.close();
      }
    } finally {
      await t.cleanup();
    }
  });
});

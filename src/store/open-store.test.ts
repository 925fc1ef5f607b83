import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { testEngines } from '../testing/engines.ts';

describe.each(testEngines())('store on $name', (engine) => {
  it('migrates, round-trips epoch-millisecond times as numbers, and enforces source-key uniqueness', async () => {
    const store = await engine.open();
    try {
      const now = Date.UTC(2026, 10, 23, 12, 0, 0);
      const lead = await store.db
        .insertInto('leads')
        .values({
          external_id: 'L-1',
          status: 'mql',
          handed_over_at: now,
          score: 71.5,
          created_at: now,
          updated_at: now,
        })
        .returning(['id', 'handed_over_at', 'score'])
        .executeTakeFirstOrThrow();
      expect(lead).toEqual({ id: 1, handed_over_at: now, score: 71.5 });

      const activity = {
        kind: 'email',
        direction: 'outbound',
        occurred_at: now,
        source: 'mail',
        source_key: '<a@b>',
        lead_id: lead.id,
        created_at: now,
      };
      await store.db.insertInto('activities').values(activity).execute();
      await expect(store.db.insertInto('activities').values(activity).execute()).rejects.toThrow();

      const counted = await store.db
        .selectFrom('activities')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(counted.n).toBe(1);
      const { rows } = await sql<{ n: number }>`select count(*) as n from leads`.execute(store.db);
      expect(rows[0]?.n).toBe(1);
    } finally {
      await store.close();
    }
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('PostgreSQL server connections', () => {
  it('survives the server closing an idle pooled connection (no uncaught error, next query works)', async () => {
    const engine = testEngines().find((e) => e.name === 'postgres');
    if (!engine) throw new Error('TEST_DATABASE_URL is set but no postgres engine');
    const store = await engine.open();
    try {
      const { rows } = await sql<{
        db: string;
        pid: number;
      }>`select current_database() as db, pg_backend_pid() as pid`.execute(store.db);
      const own = rows[0];
      if (!own) throw new Error('no row');
      const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await admin.connect();
      await admin.query('select pg_terminate_backend($1)', [own.pid]);
      await admin.end();
      await new Promise((resolve) => setTimeout(resolve, 100));
      const again = await sql<{ one: number }>`select 1 as one`.execute(store.db);
      expect(again.rows[0]?.one).toBe(1);
    } finally {
      await store.close();
    }
  });

  it("runs a session's queries one at a time on its one connection, each transaction whole", async () => {
    const engine = testEngines().find((e) => e.name === 'postgres');
    if (!engine) throw new Error('TEST_DATABASE_URL is set but no postgres engine');
    const store = await engine.open();
    const session = await (store.openSession as NonNullable<typeof store.openSession>)();
    try {
      // Count the queries in flight on the session's client (pg deprecates sending one while
      // another runs).
      let running = 0;
      let most = 0;
      const query = session.client.query.bind(session.client) as (...args: unknown[]) => unknown;
      (session.client as unknown as { query: unknown }).query = (...args: unknown[]) => {
        const result = query(...args);
        if (!(result instanceof Promise)) return result; // COPY streams
        running += 1;
        most = Math.max(most, running);
        return result.finally(() => {
          running -= 1;
        });
      };
      const pids = await Promise.all(
        [1, 2, 3, 4].map(() => sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(session.db)),
      );
      expect(new Set(pids.map((r) => r.rows[0]?.pid)).size).toBe(1);
      // A query asked for during a transaction runs after it, not inside it.
      const order: string[] = [];
      const inside = session.db.transaction().execute(async (trx) => {
        await sql`select pg_sleep(0.05)`.execute(trx);
        order.push('transaction');
      });
      const outside = sql`select 1`.execute(session.db).then(() => order.push('outside'));
      await Promise.all([inside, outside]);
      expect(order).toEqual(['transaction', 'outside']);
      expect(most).toBe(1);
    } finally {
      await session.release();
      await store.close();
    }
  });

  it('gives a session used only through its client back to the pool when released', async () => {
    const engine = testEngines().find((e) => e.name === 'postgres');
    if (!engine) throw new Error('TEST_DATABASE_URL is set but no postgres engine');
    const store = await engine.open();
    const open = store.openSession as NonNullable<typeof store.openSession>;
    const session = await open();
    await session.client.query('select 1');
    await session.release();
    await session.release(); // a second release changes nothing
    // Closing waits for every client to be back: before, it waited for ever.
    const closed = await Promise.race([
      store.close().then(() => 'closed'),
      new Promise((resolve) => setTimeout(() => resolve('still open after 5 s'), 5000)),
    ]);
    expect(closed).toBe('closed');
  });
});

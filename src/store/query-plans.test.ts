import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCapture } from '../capture/capture-run.ts';
import { listActivities } from '../capture/list-activities.ts';
import { readMail } from '../capture/mail-files.ts';
import { rematch } from '../match/rematch.ts';
import { getLead } from '../server/api/get-lead.ts';
import type { Principal } from '../server/auth/principal.ts';
import type { ServerDeps } from '../server/route.ts';
import { explainLead } from '../sla/explain-lead.ts';
import { refreshLeadStats, refreshTouchGaps } from '../sla/lead-stats.ts';
import { openStore } from './open-store.ts';
import type { Database } from './schema.ts';

// Capture pays for every index on activities and activity_participants, so only indexes a query
// reads are kept. This pins the other side: every query the product runs on those tables (lead
// detail, activity lists, SLA explanation, touch gaps, rematch) finds its rows through an index
// on SQLite, never by scanning the table.
const admin: Principal = {
  userId: 1,
  email: 'admin@example.com',
  name: 'Admin',
  role: 'admin',
  repId: null,
  teamId: null,
  via: 'token',
  csrfToken: null,
  sessionHash: null,
};

describe('query plans on activities and activity_participants (SQLite)', () => {
  let dir: string;
  let sqlite: Sqlite.Database;
  let db: Kysely<Database>;
  const queries: Array<{ sql: string; parameters: readonly unknown[] }> = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gleaner-plans-'));
    const file = join(dir, 'plans.db');
    const store = await openStore({ url: file });
    const now = Date.UTC(2026, 0, 1);
    await store.db
      .insertInto('reps')
      .values({
        external_id: 'r1',
        name: 'Rep 1',
        email: 'rep1@acme-sales.com',
        created_at: now,
        updated_at: now,
      })
      .execute();
    await store.db
      .insertInto('leads')
      .values([
        { external_id: 'l5', email: 'lead5@company5.com', status: 'mql', created_at: now, updated_at: now },
        { external_id: 'l6', email: 'lead6@company6.com', status: 'mql', created_at: now, updated_at: now },
      ])
      .execute();
    await runCapture({
      db: store.db,
      events: readMail({ paths: ['test-fixtures/capture/equivalence/tricky-headers.mbox'] }),
    });
    await store.close();
    sqlite = new Sqlite(file);
    db = new Kysely<Database>({
      dialect: new SqliteDialect({ database: sqlite }),
      log: (event) => {
        if (event.level === 'query')
          queries.push({ sql: event.query.sql, parameters: event.query.parameters });
      },
    });
  });
  afterAll(async () => {
    await db?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds rows by index, never by a full scan', async () => {
    const deps = { store: { db }, now: () => Date.UTC(2026, 2, 1) } as unknown as ServerDeps;
    await getLead(deps, { principal: admin, id: 1 });
    for (const filter of [{}, { leadId: 1 }, { repId: 1 }, { since: 0 }, { unmatched: true }])
      await listActivities(db, { ...filter, limit: 50 });
    await explainLead(db, { lead: '1', now: Date.UTC(2026, 2, 1) });
    await refreshTouchGaps(db, [1, 2]);
    await refreshLeadStats(db, { leadIds: [1, 2], now: 1 });
    await rematch(db);

    const checked = queries.filter((q) => /\b(activities|activity_participants)\b/.test(q.sql));
    expect(checked.length).toBeGreaterThanOrEqual(12);
    const scans: string[] = [];
    for (const q of checked) {
      if (!/^\s*(select|update)/i.test(q.sql)) continue;
      const plan = sqlite
        .prepare(`explain query plan ${q.sql}`)
        .all(...(q.parameters as unknown[])) as Array<{
        detail: string;
      }>;
      // `SCAN t USING [COVERING] INDEX` walks an index in order (newest-first lists); a bare
      // `SCAN t` reads the whole table.
      for (const { detail } of plan)
        if (/^SCAN (activities|activity_participants|a|p)\b(?! USING)/.test(detail))
          scans.push(`${detail}  ←  ${q.sql}`);
    }
    expect(scans).toEqual([]);
  });
});

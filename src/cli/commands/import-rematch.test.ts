import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../store/open-store.ts';
import { main } from '../main.ts';

async function run(args: string[]) {
  const out: string[] = [];
  const io = { out: (t: string) => out.push(t), err: (t: string) => out.push(t) };
  const code = await main(['node', 'gleaner', ...args], { io, env: {}, interactive: false });
  return { code, out: out.join('') };
}

describe('gleaner import re-matches earlier activity', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gleaner-rematch-'));
  const db = join(dir, 'ws.db');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('links mail captured before the lead existed once the lead is imported', async () => {
    const setup = await openStore({ url: db });
    const now = Date.now();
    const rep = { external_id: 'arnold-j', name: 'John Arnold', email: 'john.arnold@enron.com' };
    await setup.db
      .insertInto('reps')
      .values({ ...rep, created_at: now, updated_at: now })
      .execute();
    await setup.close();

    // Real Enron message from john.arnold@enron.com to slafontaine@globalp.com: no lead yet.
    const captured = await run([
      '--db',
      db,
      'capture',
      'mail',
      'test-fixtures/capture/golden/enron-arnold-sent-1.eml',
    ]);
    expect(captured.code).toBe(0);

    const leads = join(dir, 'leads.csv');
    writeFileSync(
      leads,
      'external_id,name,email,status\nL-1,Steve Lafontaine,slafontaine@globalp.com,working\n',
    );
    const map = join(dir, 'map.json');
    const fields = { external_id: 'external_id', name: 'name', email: 'email', status: 'status' };
    writeFileSync(map, JSON.stringify({ name: 'minimal', entities: { leads: { fields } } }));
    const imported = await run(['--db', db, 'import', 'leads', leads, '--map', map]);
    expect(imported.code).toBe(0);
    expect(imported.out).toContain('rematched: 1 earlier activities now linked');

    const store = await openStore({ url: db });
    try {
      const rows = await store.db
        .selectFrom('activities')
        .innerJoin('leads', 'leads.id', 'activities.lead_id')
        .innerJoin('lead_stats', 'lead_stats.lead_id', 'leads.id')
        .select(['leads.external_id', 'lead_stats.touches', 'lead_stats.emails'])
        .execute();
      expect(rows).toEqual([{ external_id: 'L-1', touches: 1, emails: 1 }]);
    } finally {
      await store.close();
    }
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testEngines } from '../testing/engines.ts';
import { captureDemoFiles } from './create-demo.ts';
import { renderDemoFiles, writeDemoFiles } from './demo-files.ts';
import { generateDemoWorkspace } from './generate-demo.ts';
import { demoUsers, loadDemoWorkspace } from './load-demo.ts';

const now = Date.UTC(2026, 10, 23, 12);

describe('generateDemoWorkspace', () => {
  const workspace = generateDemoWorkspace({ seed: 7, leads: 3000, now, days: 120 });
  const touched = new Set(
    workspace.activities.filter((a) => a.direction === 'outbound').map((a) => a.leadExternalId),
  );
  const workedRate = (repKey: string, attractive: boolean) => {
    const leads = workspace.leads.filter((l) => l.ownerKey === repKey && l.attractive === attractive);
    return leads.filter((l) => touched.has(l.externalId)).length / leads.length;
  };

  it('is the same for the same seed and differs for another', () => {
    const again = generateDemoWorkspace({ seed: 7, leads: 3000, now, days: 120 });
    expect(again.leads.map((l) => l.email)).toEqual(workspace.leads.map((l) => l.email));
    const other = generateDemoWorkspace({ seed: 8, leads: 3000, now, days: 120 });
    expect(other.leads.map((l) => l.email)).not.toEqual(workspace.leads.map((l) => l.email));
  });

  it('has cherry-pickers who work attractive leads far more, and steady reps who do not', () => {
    for (const picker of ['rep-2', 'rep-6']) {
      expect(workedRate(picker, true) - workedRate(picker, false)).toBeGreaterThan(0.3);
    }
    expect(Math.abs(workedRate('rep-1', true) - workedRate('rep-1', false))).toBeLessThan(0.15);
  });

  it('gives the overloaded rep more than twice an even share of the leads', () => {
    const share = workspace.leads.filter((l) => l.ownerKey === 'rep-3').length / workspace.leads.length;
    expect(share).toBeGreaterThan((2 * 1) / workspace.reps.length);
  });

  it('keeps activity within the window and touches after hand-over', () => {
    const handedOver = new Map(workspace.leads.map((l) => [l.externalId, l.handedOverAt]));
    for (const a of workspace.activities) {
      expect(a.occurredAt).toBeLessThanOrEqual(now);
      expect(a.occurredAt).toBeGreaterThan(handedOver.get(a.leadExternalId) ?? Number.POSITIVE_INFINITY);
    }
    const keys = workspace.activities.map((a) => a.sourceKey);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('renders one mbox message per e-mail, one VEVENT per meeting and one CSV row per call', () => {
    const files = renderDemoFiles(workspace);
    const count = (kind: string) => workspace.activities.filter((a) => a.kind === kind).length;
    expect(files.mbox.match(/^From \S+ \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$/gm)?.length).toBe(
      count('email'),
    );
    expect(files.ics.match(/BEGIN:VEVENT/g)?.length).toBe(count('meeting'));
    expect(files.calls.trim().split('\n').length - 1).toBe(count('call'));
  });
});

describe.each(testEngines())('demo workspace through the real capture path on $name', (engine) => {
  it('loads people and leads, captures every e-mail, meeting and call matched to its lead and rep', async () => {
    const workspace = generateDemoWorkspace({ seed: 5, leads: 50, now, days: 60 });
    const dir = mkdtempSync(join(tmpdir(), 'gleaner-demo-files-'));
    const store = await engine.open();
    try {
      const loaded = await loadDemoWorkspace(store.db, { workspace, now });
      expect(loaded.leads).toBe(50);
      const users = await store.db
        .selectFrom('users')
        .select(['role', 'password_hash'])
        .orderBy('role')
        .execute();
      expect(users.map((u) => u.role)).toEqual([...demoUsers.map((u) => u.role)].sort());
      expect(users.every((u) => u.password_hash?.startsWith('scrypt$'))).toBe(true);

      const files = writeDemoFiles(workspace, dir);
      const summary = await captureDemoFiles(store.db, { files, now });
      expect(summary.captured).toBe(workspace.activities.length);
      expect(summary.rejected).toBe(0);
      const rows = await store.db.selectFrom('activities').select(['lead_id', 'rep_id']).execute();
      expect(rows.every((r) => r.lead_id !== null && r.rep_id !== null)).toBe(true);
      const stats = await store.db
        .selectFrom('lead_stats')
        .select((eb) => eb.fn.sum<number>('touches').as('t'))
        .executeTakeFirstOrThrow();
      expect(Number(stats.t)).toBe(workspace.activities.filter((a) => a.direction === 'outbound').length);
      // Idempotent: capturing the same files again adds nothing.
      const again = await captureDemoFiles(store.db, { files, now });
      expect(again.captured).toBe(0);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

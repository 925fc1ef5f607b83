import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../store/open-store.ts';
import { tempDbPath } from '../../testing/engines.ts';
import { generateWorkspace, writeWorkspace } from '../../testing/generate-workspace.ts';
import { main } from '../main.ts';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

describe('gleaner sla and report commands', () => {
  const ws = tempDbPath();
  const run = async (...args: string[]) => {
    const c = capture();
    const code = await main(['node', 'gleaner', '--db', ws.path, ...args], {
      io: c.io,
      env: {},
      interactive: false,
    });
    return { code, out: c.out.join(''), err: c.err.join('') };
  };
  beforeAll(async () => {
    const store = await openStore({ url: ws.path });
    await writeWorkspace(
      store.db,
      generateWorkspace({
        seed: 3,
        leads: 200,
        reps: 5,
        activitiesPerLead: 5,
        start: Date.UTC(2026, 0, 1),
        end: Date.UTC(2026, 3, 1),
      }),
    );
    await store.close();
  });
  afterAll(() => ws.cleanup());

  it('shows the built-in policies until a file is set, and rejects a bad file with its line', async () => {
    const shown = await run('sla', 'show');
    expect(shown.code).toBe(0);
    expect(shown.out).toContain('built-in default');
    expect(shown.out).toContain('hot-demo-request');
    const file = join(dirname(ws.path), 'sla.yaml');
    writeFileSync(
      file,
      'policies:\n  - name: d\n    first_touch: { within_hours: -1 }\n    attempts: { touches: 2 }\n    window_days: 9\n',
    );
    const bad = await run('sla', 'set', file);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/sla\.yaml:3:\d+, field "policies\.0\.first_touch\.within_hours": .*>0/);
    writeFileSync(
      file,
      'policies:\n  - name: only\n    first_touch: { within_hours: 12 }\n    attempts: { touches: 2 }\n    window_days: 9\n',
    );
    expect((await run('sla', 'set', file)).code).toBe(0);
    const json = JSON.parse((await run('sla', 'show', '--json')).out);
    expect(json.origin).toBe('workspace');
    expect(json.policies.map((p: { name: string }) => p.name)).toEqual(['only']);
  });

  it('explains a lead and prints a report with its definitions, as a table and as CSV', async () => {
    const explained = await run('sla', 'explain', 'lead-5', '--at', '2026-05-01');
    expect(explained.code).toBe(0);
    expect(explained.out).toMatch(/SLA policy "only"/);
    expect(explained.out).toMatch(/SLA state: /);
    const shown = await run('leads', 'show', 'lead-5');
    expect(shown.code).toBe(0);
    expect(shown.out).toMatch(/\nSLA\n {2}SLA policy "only"/);
    const shownJson = JSON.parse((await run('leads', 'show', 'lead-5', '--json')).out);
    expect(shownJson.sla.policy).toBe('only');
    const coverage = await run('report', 'coverage', '--by', 'source', '--at', '2026-05-01');
    expect(coverage.code).toBe(0);
    expect(coverage.out).toContain('Definitions:');
    expect(coverage.out).toContain('properly followed up');
    const csv = await run('report', 'response', '--by', 'month', '--csv', '--at', '2026-05-01');
    expect(csv.out.split('\n')[0]).toMatch(/^month,mqls,touched,ttft_median_h/);
    expect(csv.out.split('\n').filter(Boolean)).toHaveLength(4); // header + Jan, Feb, Mar
    const bad = await run('report', 'coverage', '--by', 'planet');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--by');
  });
});

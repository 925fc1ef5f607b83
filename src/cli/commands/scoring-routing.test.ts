import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../store/open-store.ts';
import { tempDbPath } from '../../testing/engines.ts';
import { main } from '../main.ts';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

describe('gleaner score / route / queue / report feedback (CLI, SQLite workspace)', () => {
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
  const dir = ws.path.replace(/gleaner\.db$/, '');
  const now = Date.now();

  beforeAll(async () => {
    const store = await openStore({ url: ws.path });
    await store.db
      .insertInto('reps')
      .values([
        { external_id: 'rep-anna', name: 'Anna', created_at: now, updated_at: now },
        { external_id: 'rep-ben', name: 'Ben', created_at: now, updated_at: now },
      ])
      .execute();
    await store.db
      .insertInto('leads')
      .values([
        {
          external_id: 'N-1',
          status: 'nurture',
          title: 'Analyst',
          company: 'Hidden Co',
          created_at: now,
          updated_at: now,
        },
        { external_id: 'R-1', status: 'recycled', company: 'Recycled Co', created_at: now, updated_at: now },
        {
          external_id: 'M-1',
          status: 'mql',
          title: 'CEO',
          company: 'Visible Co',
          handed_over_at: now,
          created_at: now,
          updated_at: now,
        },
        {
          external_id: 'M-2',
          status: 'mql',
          title: 'VP IT',
          company: 'Second Co',
          handed_over_at: now,
          created_at: now,
          updated_at: now,
        },
      ])
      .execute();
    await store.close();
  });
  afterAll(() => ws.cleanup());

  it('score rules set reports the file, line and field of a mistake, with exit code 2', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      'fit:\n  - group: g\n    cap: -5\n    rules:\n      - { field: industry, in: [x], points: 1 }\n',
    );
    const r = await run('score', 'rules', 'set', file);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`gleaner: ${file}:3:10, field "fit.0.cap": Too small: expected number to be >=0`);
  });

  it('score rules set + recompute keep fit and behaviour; the bar hands nothing over below it', async () => {
    expect((await run('score', 'rules', 'set', 'test-fixtures/scoring/rules.example.yaml')).code).toBe(0);
    expect((await run('score', 'bar', 'set', '--threshold', '90')).code).toBe(0);
    const r = await run('score', 'recompute');
    expect(r.code).toBe(0);
    expect(r.out).toContain('scored 4 leads');
    expect(r.out).toContain('handed over 0 of 2 nurture leads');
  });

  it('route lists only the MQLs it assigned, never nurture or recycled leads', async () => {
    const r = await run('route', '--json');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.out);
    expect(result.assigned.map((a: { externalId: string }) => a.externalId).sort()).toEqual(['M-1', 'M-2']);
    expect(r.out).not.toContain('N-1');
    expect(r.out).not.toContain('R-1');
  });

  it('queue lists no nurture lead for any rep, in table, JSON and CSV', async () => {
    let seen = '';
    for (const rep of ['rep-anna', 'rep-ben']) {
      for (const flag of [[], ['--json'], ['--csv']]) {
        const r = await run('queue', rep, ...flag);
        expect(r.code).toBe(0);
        seen += r.out;
      }
    }
    expect(seen).toContain('Visible Co');
    expect(seen).not.toContain('Hidden Co');
    expect(seen).not.toContain('Recycled Co');
  });

  it('queue --reject without --reason fails with a one-line reason; with one it records the rejection for feedback', async () => {
    const anna = JSON.parse((await run('queue', 'rep-anna', '--json')).out);
    const lead = anna.items[0].externalId as string;
    const bad = await run('queue', 'rep-anna', '--reject', lead);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^gleaner: field "reason": --reject needs --reason CODE$/);
    const ok = await run('queue', 'rep-anna', '--reject', lead, '--reason', 'duplicate');
    expect(ok.out).toBe(`lead ${lead}: rejected (duplicate, procedural)`);
    const feedback = JSON.parse((await run('report', 'feedback', '--json')).out);
    expect(feedback).toEqual([
      {
        campaign: '(none)',
        source: '(none)',
        kind: 'rejected',
        reason_code: 'duplicate',
        category: 'procedural',
        leads: 1,
        converted_later: 0,
        later_opportunity: 0,
        later_won: 0,
      },
    ]);
  });

  it('queue --help documents the actions with an example', async () => {
    const r = await run('queue', '--help');
    expect(r.out).toContain('--skip LEAD --reason CODE');
    expect(r.out).toContain('gleaner queue rep-anna --skip L-17 --reason time_zone');
  });
});

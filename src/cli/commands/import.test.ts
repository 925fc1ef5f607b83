import { copyFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDbPath } from '../../testing/engines.ts';
import { main } from '../main.ts';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

describe('gleaner import, leads and demo commands', () => {
  let ws: ReturnType<typeof tempDbPath>;
  const run = async (...args: string[]) => {
    const c = capture();
    const code = await main(['node', 'gleaner', '--db', ws.path, ...args], {
      io: c.io,
      env: {},
      interactive: false,
    });
    return { code, out: c.out.join('\n'), err: c.err.join('\n') };
  };
  beforeAll(() => {
    ws = tempDbPath();
  });
  afterAll(() => ws.cleanup());

  it('demo imports the shipped Olist sample and prints a summary; running it again changes nothing', async () => {
    const first = await run('demo');
    expect(first.code).toBe(0);
    expect(first.out).toContain('read 1501, inserted 1501, updated 0, unchanged 0, rejected 0');
    expect(first.out).toMatch(/qualified\s+149/);
    expect(first.out).toMatch(/\(none\)\s+15/); // MQLs with an empty origin
    expect(first.out).toContain('flagged lead b91cf8812365f50ff4bda4bcd6206b05: won_before_first_contact');
    const again = await run('demo');
    expect(again.out).toContain('read 1501, inserted 0, updated 0, unchanged 1501, rejected 0');
    expect(again.out).toContain('read 149, inserted 0, updated 0, unchanged 149, rejected 0');
  });

  it('leads list filters and prints CSV; leads show prints the lead with its events', async () => {
    const list = await run(
      'leads',
      'list',
      '--status',
      'qualified',
      '--source',
      'organic_search',
      '--limit',
      '500',
      '--csv',
    );
    expect(list.code).toBe(0);
    const rows = parse(list.out, { columns: true }) as Array<Record<string, string>>;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.status === 'qualified' && r.source === 'organic_search')).toBe(true);
    expect(rows.map((r) => r.external_id)).toContain('b91cf8812365f50ff4bda4bcd6206b05');

    const show = await run('leads', 'show', 'b91cf8812365f50ff4bda4bcd6206b05');
    expect(show.out).toContain('flags            won_before_first_contact');
    expect(show.out).toContain('2018-03-06T22:38:55Z  converted ? → qualified');
    const json = JSON.parse((await run('leads', 'show', 'b91cf8812365f50ff4bda4bcd6206b05', '--json')).out);
    expect(json.lead).toMatchObject({ status: 'qualified', flags: 'won_before_first_contact' });
    expect(json.owner.external_id).toBe('a8387c01a09e99ce014107505b92388c');
    expect(json.events).toHaveLength(1);

    const missing = await run('leads', 'show', 'nope');
    expect(missing.code).toBe(4);
    expect(missing.err).toContain('no lead with id or external id "nope"');
  });

  it('import prints a JSON summary and reports rejects with file:line and field', async () => {
    const file = join(dirname(ws.path), 'broken.csv');
    copyFileSync('test-fixtures/import/broken-leads.csv', file);
    const text = await run('import', 'leads', file);
    expect(text.code).toBe(0);
    expect(text.out).toContain(
      `rejected ${file}:3, field "handed_over_at": "2026-02-30" is not a valid date`,
    );
    expect(text.out).toContain(`rejected rows with reasons: ${file}.rejects.csv`);
    const json = JSON.parse((await run('import', 'leads', file, '--json')).out);
    expect(json).toMatchObject({ read: 8, inserted: 0, unchanged: 2, rejected: 6, preset: 'gleaner-leads' });
  });

  it('exits non-zero with one line for a missing column, a bad mapping file, an unknown kind or zone', async () => {
    const dir = dirname(ws.path);
    const csv = join(dir, 'missing.csv');
    writeFileSync(csv, 'mql_id,first_contact_date,origin\nx,2018-01-01,web\n');
    const missing = await run('import', 'leads', csv, '--preset', 'olist-mql');
    expect(missing.code).toBe(2);
    expect(missing.err.trim()).toBe(
      `gleaner: ${csv}:1, field "landing_page_id": missing required column "landing_page_id"; nothing was imported`,
    );
    const map = join(dir, 'map.json');
    writeFileSync(
      map,
      '{\n  "name": "m",\n  "entities": {\n    "leads": { "fields": { "external_id": "id", "colour": "c" } }\n  }\n}\n',
    );
    const bad = await run('import', 'leads', csv, '--map', map);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain(
      `${map}:4:59, field "entities.leads.fields.colour": "colour" is not a leads field`,
    );
    expect((await run('import', 'widgets', csv)).err).toContain('unknown kind "widgets"');
    expect((await run('import', 'leads', csv, '--tz', 'Mars/Base')).err).toContain(
      'unknown time zone "Mars/Base"',
    );
  });
});

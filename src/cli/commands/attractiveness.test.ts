import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDbPath } from '../../testing/engines.ts';
import { main } from '../main.ts';

describe('gleaner attractiveness', () => {
  it('shows the defaults, stores a valid file, and rejects an invalid one naming the field', async () => {
    const { path, cleanup } = tempDbPath();
    const run = async (...args: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await main(['node', 'gleaner', '--db', path, 'attractiveness', ...args], {
        env: {},
        io: { out: (s) => out.push(s), err: (s) => err.push(s) },
        interactive: false,
      });
      return { code, out: out.join(''), err: err.join('') };
    };
    try {
      const shown = await run('show');
      expect(JSON.parse(shown.out).seniority.attractive).toEqual(['c_level', 'vp']);
      const good = join(path, '..', 'good.yaml');
      writeFileSync(
        good,
        'company:\n  brands: { names: [Acme Corp], domains: [globex.com] }\nindustry: { favoured: [Banking] }\n',
      );
      const set = await run('set', good);
      expect(set.code).toBe(0);
      expect(set.out).toContain('1 brand names, 1 brand domains; 1 favoured industries');
      expect(JSON.parse((await run('show')).out).industry.favoured).toEqual(['Banking']);
      const bad = join(path, '..', 'bad.yaml');
      writeFileSync(bad, 'seniority: { attractive: [emperor] }\n');
      const refused = await run('set', bad);
      expect(refused.code).toBe(2);
      expect(refused.err).toMatch(/bad\.yaml.*field "seniority\.attractive\.0"/);
    } finally {
      cleanup();
    }
  });
});

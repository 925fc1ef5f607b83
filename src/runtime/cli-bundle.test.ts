// The real `gleaner` entry point (bin/gleaner.mjs) runs from the esbuild bundle it builds on demand
// (scripts/cli-bundle.mjs) and, with GLEANER_NO_BUNDLE, through tsx; both find the files that ship
// beside the code (the Olist sample, import presets, default SLA policies) and print the same.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectPath } from './project-paths.ts';

const dir = mkdtempSync(join(tmpdir(), 'gleaner-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const gleaner = (env: Record<string, string>, ...args: string[]) =>
  execFileSync(process.execPath, [projectPath('bin/gleaner.mjs'), ...args], {
    cwd: projectPath(),
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });

describe('the gleaner entry point', () => {
  it('runs the demo from the bundle and through tsx with the same result', () => {
    const bundled = gleaner({}, '--db', join(dir, 'bundled.db'), 'demo');
    const current = JSON.parse(readFileSync(projectPath('dist/cli/current.json'), 'utf8')) as {
      dir: string;
      inputs: string[];
    };
    expect(existsSync(projectPath('dist/cli', current.dir, 'main.js'))).toBe(true);
    expect(current.inputs).toContain('src/cli/main.ts');
    // kysely is bundled (its ~280 modules cost start-up time), so a package upgrade rebuilds it.
    expect(current.inputs).toContain('package-lock.json');
    const built = projectPath('dist/cli', current.dir);
    const code = readdirSync(built).filter((file) => file.endsWith('.js'));
    for (const file of code) expect(readFileSync(join(built, file), 'utf8')).not.toMatch(/from "kysely"/);
    expect(
      code.some((file) => readFileSync(join(built, file), 'utf8').includes('SqliteAdapter = class')),
    ).toBe(true);
    const viaTsx = gleaner({ GLEANER_NO_BUNDLE: '1' }, '--db', join(dir, 'tsx.db'), 'demo');
    const normalise = (text: string) =>
      text
        .replaceAll(dir, 'DIR')
        .replace(/(bundled|tsx)\.db/g, 'X.db')
        .replace(/in [0-9.]+ s/g, 'in T s');
    expect(normalise(bundled)).toEqual(normalise(viaTsx));
    expect(bundled).toMatch(/leads/);
  });
});

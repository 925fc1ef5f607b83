import { describe, expect, it } from 'vitest';
import { tempDbPath } from '../testing/engines.ts';
import { main } from './main.ts';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

describe('gleaner CLI', () => {
  it('init creates a SQLite workspace at --db', async () => {
    const ws = tempDbPath();
    const { io, out } = capture();
    try {
      const code = await main(['node', 'gleaner', '--db', ws.path, 'init'], {
        io,
        env: {},
        interactive: false,
      });
      expect(code).toBe(0);
      expect(out.join('')).toContain(`sqlite at ${ws.path}`);
    } finally {
      ws.cleanup();
    }
  });

  it('exits non-zero with a one-line reason on an unknown command', async () => {
    const { io, err } = capture();
    const code = await main(['node', 'gleaner', 'frobnicate'], { io, env: {}, interactive: false });
    expect(code).toBe(2);
    expect(err.join('')).toContain("unknown command 'frobnicate'");
  });
});

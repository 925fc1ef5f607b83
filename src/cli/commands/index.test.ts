import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import type { CliContext } from '../context.ts';
import { commandGroups, groupsFor } from './index.ts';

const noContext = (): CliContext => {
  throw new Error('registration must not open a context');
};

describe('command groups', () => {
  it.each(commandGroups.map((g) => [g.commands.join(', '), g] as const))(
    'the group of %s registers exactly those top-level commands',
    async (_name, group) => {
      const program = new Command();
      (await group.load())(program, noContext);
      expect(program.commands.map((c) => c.name()).sort()).toEqual([...group.commands].sort());
    },
  );

  it('no two groups claim the same command', () => {
    const all = commandGroups.flatMap((g) => g.commands);
    expect(new Set(all).size).toBe(all.length);
  });

  it('loads only the group of the command being run, after global options', () => {
    const argv = (...args: string[]) => ['node', 'gleaner', ...args];
    expect(groupsFor(argv('capture', 'mail', 'x.mbox')).flatMap((g) => g.commands)).toContain('capture');
    expect(groupsFor(argv('--db', 'capture.db', 'leads', 'list'))).toHaveLength(1);
    expect(groupsFor(argv('--db', 'capture.db', 'leads', 'list'))[0]?.commands).toEqual(['leads']);
    expect(groupsFor(argv('--db=x.db', 'serve'))[0]?.commands).toContain('serve');
  });

  it('loads every group for help, no command, or an unknown command', () => {
    for (const args of [['--help'], [], ['help', 'capture'], ['nonsense']])
      expect(groupsFor(['node', 'gleaner', ...args])).toHaveLength(commandGroups.length);
  });
});

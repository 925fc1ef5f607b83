import type { Command } from 'commander';
import type { CliContext } from '../context.ts';

type Register = (program: Command, ctx: () => CliContext) => void;

/**
 * Every command group: the top-level commands it registers and how to load it. A run loads only the
 * group of the command it was given (`gleaner capture mail …` never loads the HTTP server, the IMAP
 * client or the PostgreSQL driver); help and unknown commands load them all. index.test.ts checks that
 * each group registers exactly the commands listed here.
 */
export const commandGroups: Array<{ commands: readonly string[]; load: () => Promise<Register> }> = [
  {
    commands: ['init', 'migrate'],
    load: async () => (await import('./workspace.ts')).registerWorkspaceCommands,
  },
  { commands: ['demo'], load: async () => (await import('./demo.ts')).registerDemoCommands },
  { commands: ['report'], load: async () => (await import('./report.ts')).registerReportCommands },
  { commands: ['import'], load: async () => (await import('./import.ts')).registerImportCommands },
  { commands: ['leads'], load: async () => (await import('./leads.ts')).registerLeadsCommands },
  {
    commands: ['capture', 'rematch', 'activities'],
    load: async () => (await import('./capture.ts')).registerCaptureCommands,
  },
  { commands: ['sla'], load: async () => (await import('./sla.ts')).registerSlaCommands },
  { commands: ['live-demo'], load: async () => (await import('./live-demo.ts')).registerLiveDemoCommands },
  {
    commands: ['serve', 'user', 'token'],
    load: async () => (await import('./server.ts')).registerServerCommands,
  },
  { commands: ['score'], load: async () => (await import('./scoring.ts')).registerScoringCommands },
  {
    commands: ['route', 'queue', 'queue-settings', 'reasons'],
    load: async () => (await import('./routing.ts')).registerRoutingCommands,
  },
  {
    commands: ['attractiveness'],
    load: async () => (await import('./attractiveness.ts')).registerAttractivenessCommands,
  },
];

/** Global options that take a value (the command name comes after them). */
const globalValueOptions = new Set(['--db']);

/** The groups a run needs: the one that owns argv's command, or every group when there is none. */
export function groupsFor(argv: readonly string[]): typeof commandGroups {
  const args = argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (globalValueOptions.has(arg)) i++;
    else if (!arg.startsWith('-')) {
      const group = commandGroups.find((g) => g.commands.includes(arg));
      return group ? [group] : commandGroups;
    }
  }
  return commandGroups;
}

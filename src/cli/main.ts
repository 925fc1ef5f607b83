import { Command, CommanderError } from 'commander';
import { loadConfig } from '../config/config.ts';
import { AppError, describeError, errorCodes } from '../errors/app-error.ts';
import { groupsFor } from './commands/index.ts';
import type { CliContext } from './context.ts';
import { processWriter, type Writer } from './output.ts';

/**
 * Builds the `gleaner` program with the command groups `argv` needs (all of them for help). `io` lets
 * tests capture output in-process.
 */
export async function buildProgram(options: {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  io: Writer;
  interactive: boolean;
}): Promise<Command> {
  const program = new Command('gleaner')
    .description(
      'Gleaner: no good lead left behind — capture sales activity, measure the SLA, detect cherry-picking',
    )
    .option('--db <path>', 'workspace SQLite file (default ./gleaner.db; DATABASE_URL selects PostgreSQL)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => options.io.out(s), writeErr: (s) => options.io.err(s) })
    .addHelpText(
      'after',
      '\nExample:\n  gleaner init && gleaner import leads leads.csv && gleaner leads list --status mql',
    );

  const ctx = (): CliContext => ({
    config: loadConfig(options.env, {
      db: program.opts<{ db?: string }>().db,
      interactive: options.interactive,
    }),
    io: options.io,
  });
  for (const group of groupsFor(options.argv)) (await group.load())(program, ctx);
  for (const command of program.commands) command.exitOverride();
  return program;
}

/** Runs the CLI and returns the exit code; user errors print one line, never a stack. */
export async function main(
  argv: string[],
  options: { env?: NodeJS.ProcessEnv; io?: Writer; interactive?: boolean } = {},
): Promise<number> {
  const io = options.io ?? processWriter;
  const program = await buildProgram({
    argv,
    env: options.env ?? process.env,
    io,
    interactive: options.interactive ?? Boolean(process.stdout.isTTY),
  });
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof AppError) {
      io.err(`gleaner: ${describeError(error)}`);
      return errorCodes[error.code].exit;
    }
    io.err(`gleaner: unexpected error: ${describeError(error)}`);
    if (options.env?.GLEANER_DEBUG ?? process.env.GLEANER_DEBUG) io.err(String((error as Error).stack));
    return 1;
  }
}

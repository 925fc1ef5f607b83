import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { serve } from '@hono/node-server';
import type { Command } from 'commander';
import { UserRole } from '../../domain/words.ts';
import { AppError, badInput } from '../../errors/app-error.ts';
import { createServerApp } from '../../server/app.ts';
import { createApiToken } from '../../server/auth/api-tokens.ts';
import { createUser, findUserByEmail } from '../../server/auth/users.ts';
import { loadServerConfig } from '../../server/server-config.ts';
import type { Store } from '../../store/open-store.ts';
import { openStore } from '../../store/open-store.ts';
import { type CliContext, withStore } from '../context.ts';

export function registerServerCommands(program: Command, ctx: () => CliContext): void {
  program
    .command('serve')
    .description('serve the HTTP API (/api) and the built dashboard')
    .option('--port <port>', 'TCP port', '3000')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .addHelpText('after', '\nExample:\n  gleaner --db ./acme.db serve --port 3000 --host 127.0.0.1')
    .action(async (flags: { port: string; host: string }) => {
      const c = ctx();
      const config = loadServerConfig(c.config, process.env, flags);
      const store = await openStore({ url: config.databaseUrl });
      const { app, close } = createServerApp(config, store, { reportWorker: true });
      const server = serve(
        { fetch: app.fetch, port: config.server.port, hostname: config.server.host },
        (info) => {
          c.io.out(
            `gleaner serving ${store.engine} at ${store.location} on http://${config.server.host}:${info.port}/`,
          );
        },
      );
      await new Promise<void>((resolve) => {
        const stop = () => {
          server.close(() => {
            void close()
              .then(() => store.close())
              .then(resolve);
          });
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });

  program
    .command('user')
    .description('manage users')
    .command('add')
    .description(
      'add a user; the password comes from --password-file, the GLEANER_PASSWORD environment variable, or a prompt',
    )
    .requiredOption('--email <email>', 'login e-mail')
    .requiredOption('--role <role>', `one of ${UserRole.options.join(', ')}`)
    .option('--name <name>', 'display name (default: the e-mail)')
    .option('--rep <rep>', "the rep's id or external id (rep users)")
    .option('--team <team>', "the team's id or name (managers)")
    .option('--password-file <path>', "read the password from this file's first line ('-' for stdin)")
    .addHelpText(
      'after',
      '\nExamples:\n  gleaner user add --email ana@acme.com --role rep --rep R-17\n  GLEANER_PASSWORD=… gleaner user add --email boss@acme.com --role manager --team East',
    )
    .action(
      async (flags: {
        email: string;
        role: string;
        name?: string;
        rep?: string;
        team?: string;
        passwordFile?: string;
      }) => {
        const c = ctx();
        const role = UserRole.safeParse(flags.role);
        if (!role.success)
          throw badInput(`--role must be one of ${UserRole.options.join(', ')}`, { field: 'role' });
        const password = await readPassword(flags.passwordFile, c.config.interactive);
        await withStore(c, async (store) => {
          const repId = flags.rep ? await resolveRep(store, flags.rep) : null;
          const teamId = flags.team ? await resolveTeam(store, flags.team) : null;
          const user = await createUser(store.db, {
            input: { email: flags.email, name: flags.name, role: role.data, password, repId, teamId },
            now: Date.now(),
          });
          c.io.out(`user ${user.id} added: ${user.email} (${user.role})`);
        });
      },
    );

  program
    .command('token')
    .description('manage API tokens')
    .command('create')
    .description('create an API token for a user; prints the token once (only its hash is stored)')
    .requiredOption('--user <email>', "the token's user (its role decides what the token may do)")
    .requiredOption('--name <name>', 'what the token is for')
    .addHelpText('after', '\nExample:\n  gleaner token create --user capture@acme.com --name "mail capture"')
    .action(async (flags: { user: string; name: string }) => {
      const c = ctx();
      await withStore(c, async (store) => {
        const user = await findUserByEmail(store.db, flags.user);
        if (!user) throw new AppError('not_found', `no user with e-mail ${flags.user}`);
        const token = await createApiToken(store.db, { userId: user.id, name: flags.name, now: Date.now() });
        c.io.out(token.token);
        c.io.err(`token ${token.id} "${token.name}" for ${user.email}: store it now, it is not shown again`);
      });
    });
}

async function readPassword(file: string | undefined, interactive: boolean): Promise<string> {
  // The command line is the edge: reading the environment here is deliberate.
  if (file) {
    const text = file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
    return text.split(/\r?\n/)[0] ?? '';
  }
  const fromEnv = process.env.GLEANER_PASSWORD;
  if (fromEnv) return fromEnv;
  if (!interactive || !process.stdin.isTTY) {
    throw badInput(
      'give the password with --password-file PATH or GLEANER_PASSWORD (no terminal to prompt on)',
    );
  }
  return prompt('password: ');
}

function prompt(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    // Echo nothing while the password is typed.
    const output = rl as unknown as { _writeToOutput: (s: string) => void };
    process.stdout.write(question);
    output._writeToOutput = () => {};
    rl.question('', (answer) => {
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    });
  });
}

async function resolveRep(store: Store, rep: string): Promise<number> {
  const row = await store.db
    .selectFrom('reps')
    .select('id')
    .where((eb) =>
      eb.or([eb('external_id', '=', rep), ...(/^\d+$/.test(rep) ? [eb('id', '=', Number(rep))] : [])]),
    )
    .executeTakeFirst();
  if (!row) throw badInput(`no rep with id or external id "${rep}"`, { field: 'rep' });
  return row.id;
}

async function resolveTeam(store: Store, team: string): Promise<number> {
  const row = await store.db
    .selectFrom('teams')
    .select('id')
    .where((eb) =>
      eb.or([eb('name', '=', team), ...(/^\d+$/.test(team) ? [eb('id', '=', Number(team))] : [])]),
    )
    .executeTakeFirst();
  if (!row) throw badInput(`no team with id or name "${team}"`, { field: 'team' });
  return row.id;
}

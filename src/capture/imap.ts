import { readFileSync } from 'node:fs';
import { ImapFlow } from 'imapflow';
import type { Kysely } from 'kysely';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { badInput } from '../errors/app-error.ts';
import type { Database } from '../store/schema.ts';
import type { CaptureEvent, CaptureSummary } from './capture-run.ts';
import { runCapture } from './capture-run.ts';
import { mailToActivity } from './mail-headers.ts';

/**
 * An IMAP account file (YAML or JSON). The password never sits in it or on the command line:
 * `passwordEnv` names an environment variable, or `passwordFile` a file holding it.
 */
export const ImapAccountFields = z
  .object({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(993),
    /** TLS from the start (port 993); false for a plain connection (tests, STARTTLS-less local servers). */
    tls: z.boolean().default(true),
    /** Accept a self-signed certificate (a local server). */
    allowSelfSigned: z.boolean().default(false),
    /** A PEM file of the CA (or self-signed certificate) to trust, for a server with an internal CA. */
    caFile: z.string().min(1).optional(),
    user: z.string().min(1),
    passwordEnv: z.string().min(1).optional(),
    passwordFile: z.string().min(1).optional(),
    folders: z.array(z.string().min(1)).min(1).default(['INBOX', 'Sent']),
  })
  .strict();
export const ImapAccount = ImapAccountFields.refine(
  (a) => Boolean(a.passwordEnv) !== Boolean(a.passwordFile),
  { message: 'give exactly one of "passwordEnv" or "passwordFile"' },
);
export type ImapAccount = z.infer<typeof ImapAccount>;

/** Reads and validates an account file. */
export function loadImapAccount(path: string): ImapAccount {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    throw badInput(`cannot read the IMAP account file: ${(error as Error).message}`, { file: path });
  }
  const parsed = ImapAccount.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw badInput(issue?.message ?? 'invalid account file', {
      file: path,
      field: issue?.path.join('.') || undefined,
    });
  }
  return parsed.data;
}

/** The password from the environment variable or file the account names (never logged). */
export function resolveImapPassword(account: ImapAccount, env: NodeJS.ProcessEnv): string {
  if (account.passwordEnv) {
    const value = env[account.passwordEnv];
    if (!value) throw badInput(`the environment variable ${account.passwordEnv} (passwordEnv) is not set`);
    return value;
  }
  try {
    return readFileSync(account.passwordFile as string, 'utf8').trim();
  } catch {
    throw badInput(`cannot read the password file named by passwordFile`, { file: account.passwordFile });
  }
}

function tlsOptions(account: ImapAccount): { rejectUnauthorized?: boolean; ca?: Buffer } {
  if (account.allowSelfSigned) return { rejectUnauthorized: false };
  if (!account.caFile) return {};
  try {
    return { ca: readFileSync(account.caFile) };
  } catch {
    throw badInput('cannot read the CA certificate file named by caFile', { file: account.caFile });
  }
}

export type ImapFolderResult = {
  folder: string;
  uidValidity: string;
  fromUid: number;
  lastUid: number;
  reset: boolean;
};

/**
 * Captures the folders of an IMAP account, resuming after the last UID seen per folder
 * (capture_cursors). A changed UIDVALIDITY re-reads the folder; source keys fold what was
 * already captured, so nothing is duplicated. Only header blocks are fetched.
 */
export async function captureImap(input: {
  db: Kysely<Database>;
  account: ImapAccount;
  password: string;
  folders?: string[];
}): Promise<{ summary: CaptureSummary; folders: ImapFolderResult[] }> {
  const { account } = input;
  const client = new ImapFlow({
    host: account.host,
    port: account.port,
    secure: account.tls,
    auth: { user: account.user, pass: input.password },
    logger: false,
    ...(account.tls ? { tls: tlsOptions(account) } : {}),
  });
  await client.connect().catch((error: Error) => {
    throw badInput(
      `cannot connect to IMAP ${account.host}:${account.port} as ${account.user}: ${error.message}`,
    );
  });
  const results: ImapFolderResult[] = [];
  const cursorsToSave: Array<{ scope: string; validity: string; position: string }> = [];
  try {
    const folders = input.folders ?? account.folders;
    // Read before capturing: runCapture reads events inside its write transaction, where a
    // query on another connection (SQLite has one) would wait for that transaction.
    const cursors = new Map(
      (
        await input.db
          .selectFrom('capture_cursors')
          .select(['scope', 'validity', 'position'])
          .where('source', '=', 'imap')
          .execute()
      ).map((c) => [c.scope, c]),
    );
    async function* events(): AsyncGenerator<CaptureEvent> {
      for (const folder of folders) {
        const scope = `${account.user}@${account.host}:${account.port}/${folder}`;
        let lock: Awaited<ReturnType<typeof client.getMailboxLock>>;
        try {
          lock = await client.getMailboxLock(folder, { readOnly: true });
        } catch (error) {
          yield { rejection: { file: scope, reason: `cannot open folder: ${(error as Error).message}` } };
          continue;
        }
        try {
          const mailbox = client.mailbox;
          if (!mailbox) continue;
          const validity = String(mailbox.uidValidity);
          const cursor = cursors.get(scope);
          const reset = cursor !== undefined && cursor.validity !== validity;
          const fromUid = cursor && !reset ? Number(cursor.position) + 1 : 1;
          let lastUid = fromUid - 1;
          if (mailbox.exists > 0 && mailbox.uidNext > fromUid) {
            for await (const message of client.fetch(
              `${fromUid}:*`,
              { uid: true, headers: true },
              { uid: true },
            )) {
              // `n:*` also returns the highest message when it is below n.
              if (message.uid < fromUid || !message.headers) continue;
              lastUid = Math.max(lastUid, message.uid);
              const origin = { folder, uid: message.uid, uidvalidity: validity };
              const parsed = mailToActivity({ header: message.headers, source: 'mail', origin });
              if ('reason' in parsed)
                yield {
                  rejection: { file: `${scope}`, record: `uid ${message.uid}`, reason: parsed.reason },
                };
              else yield { activity: parsed.activity };
            }
          }
          results.push({ folder, uidValidity: validity, fromUid, lastUid, reset });
          cursorsToSave.push({ scope, validity, position: String(Math.max(lastUid, 0)) });
        } finally {
          lock.release();
        }
      }
    }
    const summary = await runCapture({ db: input.db, events: events() });
    // Cursors move only after the activities are stored: a crash re-reads, and source keys fold it.
    const now = Date.now();
    for (const c of cursorsToSave) {
      await input.db
        .insertInto('capture_cursors')
        .values({
          source: 'imap',
          scope: c.scope,
          validity: c.validity,
          position: c.position,
          updated_at: now,
        })
        .onConflict((oc) =>
          oc
            .columns(['source', 'scope'])
            .doUpdateSet({ validity: c.validity, position: c.position, updated_at: now }),
        )
        .execute();
    }
    return { summary, folders: results };
  } finally {
    await client.logout().catch(() => undefined);
  }
}

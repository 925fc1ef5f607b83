import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A real Dovecot IMAP server on 127.0.0.1 for tests, with Maildir folders seeded from files. */
export type DovecotServer = {
  port: number;
  user: string;
  password: string;
  /** With `tls: true`: the self-signed certificate the server presents (PEM), to trust as a CA. */
  caFile: string | null;
  /** Delivers a message file into a folder (INBOX or another). */
  deliver: (folder: string, file: string) => void;
  /** Gives a folder a new UIDVALIDITY (as after a server-side rebuild). */
  setUidValidity: (folder: string, value: number) => void;
  stop: () => Promise<void>;
};

const DOVECOT = '/usr/sbin/dovecot';
const DOVEADM = '/usr/bin/doveadm';
const MAIL_USER = 'gleaner-mail';

export const dovecotAvailable = (): boolean => existsSync(DOVECOT) && typeof process.getuid === 'function';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Dovecot refuses mail owned by root: as root, mail belongs to a dedicated system user. */
function mailOwner(): { uid: number; gid: number; name: string } {
  if (process.getuid?.() !== 0) {
    return {
      uid: process.getuid?.() ?? 0,
      gid: process.getgid?.() ?? 0,
      name: execFileSync('id', ['-un']).toString().trim(),
    };
  }
  try {
    execFileSync('id', ['-u', MAIL_USER], { stdio: 'ignore' });
  } catch {
    execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', MAIL_USER], {
      stdio: 'ignore',
    });
  }
  const uid = Number(execFileSync('id', ['-u', MAIL_USER]).toString().trim());
  const gid = Number(execFileSync('id', ['-g', MAIL_USER]).toString().trim());
  return { uid, gid, name: MAIL_USER };
}

const folderDir = (maildir: string, folder: string) =>
  folder === 'INBOX' ? maildir : join(maildir, `.${folder}`);

/** A self-signed certificate for 127.0.0.1 / localhost, made with Debian's openssl. */
function selfSignedCertificate(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'server.crt');
  const key = join(dir, 'server.key');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  chmodSync(key, 0o600);
  return { cert, key };
}

/**
 * Starts Dovecot. With `tls: true` it speaks IMAP over TLS from the first byte (imaps) with a fresh
 * self-signed certificate and refuses plaintext; otherwise plain IMAP.
 */
export async function startDovecot(options: {
  seed: Record<string, string[]>;
  tls?: boolean;
}): Promise<DovecotServer> {
  const root = mkdtempSync(join(tmpdir(), 'gleaner-dovecot-'));
  chmodSync(root, 0o755);
  const certificate = options.tls ? selfSignedCertificate(root) : null;
  const owner = mailOwner();
  const port = await freePort();
  const user = 'rep';
  const password = 'test-password';
  const maildir = join(root, 'mail', user, 'Maildir');
  let counter = 0;
  const deliver = (folder: string, file: string) => {
    const dir = folderDir(maildir, folder);
    for (const sub of ['cur', 'new', 'tmp']) mkdirSync(join(dir, sub), { recursive: true });
    counter++;
    const target = join(dir, 'new', `${Date.now()}.${process.pid}_${counter}.gleaner`);
    copyFileSync(file, target);
    execFileSync('chown', ['-R', `${owner.uid}:${owner.gid}`, join(root, 'mail')]);
  };
  for (const [folder, files] of Object.entries(options.seed)) for (const f of files) deliver(folder, f);
  if (Object.keys(options.seed).length === 0) deliver('INBOX', '/dev/null');
  const config = join(root, 'dovecot.conf');
  writeFileSync(
    config,
    [
      `base_dir = ${join(root, 'run')}`,
      `state_dir = ${join(root, 'state')}`,
      `instance_name = gleaner-test-${port}`,
      'protocols = imap',
      'listen = 127.0.0.1',
      ...(certificate
        ? ['ssl = required', `ssl_cert = <${certificate.cert}`, `ssl_key = <${certificate.key}`]
        : ['ssl = no']),
      `disable_plaintext_auth = ${certificate ? 'yes' : 'no'}`,
      'auth_mechanisms = plain login',
      `log_path = ${join(root, 'dovecot.log')}`,
      `mail_location = maildir:${join(root, 'mail', '%u', 'Maildir')}`,
      `mail_uid = ${owner.uid}`,
      `mail_gid = ${owner.gid}`,
      `first_valid_uid = ${Math.min(owner.uid, 1)}`,
      'default_login_user = dovenull',
      'default_internal_user = dovecot',
      `passdb {\n  driver = static\n  args = password=${password}\n}`,
      `userdb {\n  driver = static\n  args = uid=${owner.uid} gid=${owner.gid} home=${join(root, 'mail', '%u')}\n}`,
      certificate
        ? `service imap-login {\n  inet_listener imap {\n    port = 0\n  }\n  inet_listener imaps {\n    address = 127.0.0.1\n    port = ${port}\n    ssl = yes\n  }\n}`
        : `service imap-login {\n  inet_listener imap {\n    address = 127.0.0.1\n    port = ${port}\n  }\n  inet_listener imaps {\n    port = 0\n  }\n}`,
      'service anvil {\n  chroot =\n}',
      'service imap-login {\n  chroot =\n}',
      'namespace inbox {\n  inbox = yes\n  separator = /\n}',
      '',
    ].join('\n'),
  );
  for (const dir of ['run', 'state']) mkdirSync(join(root, dir), { recursive: true });
  const child: ChildProcess = spawn(DOVECOT, ['-F', '-c', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  await waitForPort(port, () => stderr);
  const setUidValidity = (folder: string, value: number) => {
    const mailbox = folder === 'INBOX' ? 'INBOX' : folder;
    execFileSync(DOVEADM, [
      '-c',
      config,
      'mailbox',
      'update',
      '-u',
      user,
      '--uid-validity',
      String(value),
      mailbox,
    ]);
  };
  return {
    port,
    user,
    password,
    caFile: certificate?.cert ?? null,
    deliver,
    setUidValidity,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 200));
      rmSync(root, { recursive: true, force: true });
    },
  };
}

async function waitForPort(port: number, log: () => string): Promise<void> {
  const { connect } = await import('node:net');
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`dovecot did not start on port ${port}: ${log()}`);
}

export const listFiles = (dir: string): string[] =>
  readdirSync(dir)
    .sort()
    .map((f) => join(dir, f));

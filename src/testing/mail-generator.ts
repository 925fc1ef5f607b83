import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

/** A small seeded PRNG (mulberry32) so generated data is the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const repEmail = (i: number) => `rep${i}@acme-sales.com`;
export const leadEmail = (i: number) => `lead${i}@company${i % 20000}.com`;

const firstNames = ['Anna', 'Bob', 'Chloé', 'Dmitri', 'Eva', 'Farid', 'Grace', 'Hiro', 'Ines', 'José'];
const lastNames = ['Smith', 'Müller', 'García', 'Nakamura', 'Olsen', 'Kowalski', 'Dubois', 'Rossi'];
const words = [
  'pricing',
  'demo',
  'follow up',
  'contract',
  'renewal',
  'intro',
  'meeting',
  'proposal',
  'question',
];

/**
 * Writes an mbox of `count` messages with realistic headers (Received chains, DKIM, MIME), some
 * plain bodies, some multipart bodies with base64 attachments: 45% rep → lead, 35% lead → rep,
 * 10% internal, 10% bulk. Deterministic for a seed.
 */
export async function writeGeneratedMbox(options: {
  path: string;
  count: number;
  reps: number;
  leads: number;
  seed?: number;
}): Promise<{ bytes: number }> {
  const rnd = seededRandom(options.seed ?? 42);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)] as T;
  const out = createWriteStream(options.path);
  let bytes = 0;
  const attachment = Buffer.alloc(24 * 1024, 'gleaner attachment bytes ')
    .toString('base64')
    .replace(/.{76}/g, '$&\n');
  const start = Date.UTC(2026, 0, 1);
  for (let i = 0; i < options.count; i++) {
    const rep = Math.floor(rnd() * options.reps);
    const lead = Math.floor(rnd() * options.leads);
    const roll = rnd();
    const name = `${pick(firstNames)} ${pick(lastNames)}`;
    const repAddr = `"Rep ${rep}" <${repEmail(rep)}>`;
    const leadAddr = `"${name}" <${leadEmail(lead)}>`;
    let from = repAddr;
    let to = leadAddr;
    let extra = '';
    if (roll < 0.45) {
      /* outbound */
    } else if (roll < 0.8) {
      from = leadAddr;
      to = repAddr;
    } else if (roll < 0.9) {
      to = `"Rep ${(rep + 1) % options.reps}" <${repEmail((rep + 1) % options.reps)}>`;
    } else {
      from = '"Newsletter" <news@marketing-tool.example>';
      to = repAddr;
      extra = 'List-Unsubscribe: <mailto:unsubscribe@marketing-tool.example>\nPrecedence: bulk\n';
    }
    const date = new Date(start + i * 60_000 + Math.floor(rnd() * 30_000))
      .toUTCString()
      .replace('GMT', '+0000');
    const subject = `${pick(words)} #${i}${rnd() < 0.1 ? ' =?UTF-8?B?w6nDqMOgIGRlbW8=?=' : ''}`;
    const cc =
      rnd() < 0.3
        ? `Cc: ${repEmail((rep + 7) % options.reps)}, "${pick(firstNames)}" <${leadEmail((lead + 1) % options.leads)}>\n`
        : '';
    const header =
      `From MAILER-DAEMON Thu Jan  1 00:00:00 2026\n` +
      `Return-Path: <bounce@mx.example>\n` +
      `Received: from mail-${i % 97}.mx.example (mail-${i % 97}.mx.example [10.0.${i % 255}.${(i * 7) % 255}])\n\tby mx.acme-sales.com with ESMTPS id ${i.toString(36)}\n\tfor <${repEmail(rep)}>; ${date}\n` +
      `Received: from [192.168.1.${i % 255}] by smtp.example with ESMTPSA; ${date}\n` +
      `DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=s1;\n\th=from:to:subject:date; bh=${Buffer.from(String(i)).toString('base64')}=;\n\tb=${'A'.repeat(180)}\n` +
      `Message-ID: <${i}.${rep}.${lead}@generated.example>\n` +
      `Date: ${date}\nFrom: ${from}\nTo: ${to}\n${cc}Subject: ${subject}\n${extra}MIME-Version: 1.0\n`;
    let body: string;
    if (rnd() < 0.1) {
      body =
        'Content-Type: multipart/mixed; boundary="b1"\n\n--b1\nContent-Type: text/plain; charset=utf-8\n\nPlease find the proposal attached.\n\n' +
        `--b1\nContent-Type: application/pdf; name="proposal.pdf"\nContent-Transfer-Encoding: base64\nContent-Disposition: attachment; filename="proposal.pdf"\n\n${attachment}\n--b1--\n\n`;
    } else {
      const lines = 3 + Math.floor(rnd() * 30);
      body = `Content-Type: text/plain; charset=utf-8\n\n${Array.from({ length: lines }, () => `Hello, about the ${pick(words)}: let us talk next week.`).join('\n')}\n\n`;
    }
    const message = header + body;
    bytes += Buffer.byteLength(message);
    if (!out.write(message)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return { bytes };
}

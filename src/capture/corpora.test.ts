import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedDataDir, sharedDataPath } from '../testing/shared-data.ts';
import type { CapturedActivity, Rejection } from './activity.ts';
import { readCalendars } from './calendar.ts';
import { readMail } from './mail-files.ts';

const find = (dir: string, ext: string) =>
  execFileSync('find', [dir, '-type', 'f', '-name', `*.${ext}`])
    .toString()
    .trim()
    .split('\n')
    .sort();

async function collect(
  events: AsyncIterable<{ activity: CapturedActivity } | { rejection: Rejection } | { warning: Rejection }>,
) {
  const activities: CapturedActivity[] = [];
  const rejections: Rejection[] = [];
  const warnings: Rejection[] = [];
  for await (const e of events) {
    if ('activity' in e) activities.push(e.activity);
    else if ('rejection' in e) rejections.push(e.rejection);
    else warnings.push(e.warning);
  }
  return { activities, rejections, warnings };
}

describe.skipIf(!sharedDataDir)('bad input from real corpora', () => {
  it('runs all 130 .eml fixtures: each is captured or rejected with file and reason', async () => {
    const files = find(sharedDataPath('eml_test_corpora'), 'eml');
    expect(files).toHaveLength(130);
    const { activities, rejections } = await collect(readMail({ paths: files, format: 'eml' }));
    const accounted = new Set([
      ...activities.map((a) => String(a.origin?.file)),
      ...rejections.map((r) => r.file),
    ]);
    for (const f of files) expect(accounted.has(f), f).toBe(true);
    for (const r of rejections) expect(r.reason).toMatch(/\S/);
    expect(activities.length + rejections.length).toBe(130);
    // Pinned: messages with no Date, no From, or an unreadable Date.
    expect(rejections.length).toBe(21);
  });

  it('runs all 297 .ics fixtures: none stops the run, every failure names its file', async () => {
    const files = find(sharedDataPath('ics_test_corpora'), 'ics');
    expect(files).toHaveLength(297);
    const window = { from: Date.UTC(1990, 0, 1), to: Date.UTC(2030, 0, 1), defaultZone: 'UTC' };
    const { activities, rejections } = await collect(readCalendars({ paths: files, options: window }));
    for (const r of rejections) {
      expect(files).toContain(r.file);
      expect(r.reason).toMatch(/\S/);
    }
    const seen = new Set([
      ...activities.map((a) => String(a.origin?.file)),
      ...rejections.map((r) => r.file),
    ]);
    // Files with no VEVENT at all (only VTODO, VJOURNAL, VTIMEZONE …) yield nothing and are not errors.
    expect(seen.size).toBeGreaterThan(200);
    expect(activities.length).toBeGreaterThan(1000);
  });

  it('reports a truncated mbox and a non-UTF-8 header, and captures the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gleaner-bad-mbox-'));
    try {
      const source = readFileSync(sharedDataPath('mailing_list_usrp_users/usrp_users_sample_400.mbox'));
      const latin1 = Buffer.from(
        'From MAILER-DAEMON Thu Jan  1 00:00:00 2026\nFrom: Jos\xe9 P\xe9rez <jose@example.es>\nTo: rep@ours.com\nDate: Mon, 5 Jan 2026 10:00:00 +0100\nSubject: caf\xe9\n\nhola\n',
        'latin1',
      );
      // Cut the file inside the headers of its last message.
      const cut = source.lastIndexOf('\nFrom ') + 60;
      const path = join(dir, 'truncated.mbox');
      writeFileSync(path, Buffer.concat([latin1, source.subarray(0, cut)]));
      const { activities, rejections, warnings } = await collect(readMail({ paths: [path] }));
      expect(warnings.some((w) => w.reason.includes('not UTF-8') && w.offset === 0 && w.line === 1)).toBe(
        true,
      );
      expect(activities[0]?.participants[0]).toMatchObject({ email: 'jose@example.es', name: 'José Pérez' });
      const truncated = warnings.find((w) => w.reason.startsWith('truncated'));
      expect(truncated?.offset).toBe(latin1.length + source.lastIndexOf('\nFrom ') + 1);
      expect(activities.length + rejections.length).toBe(401);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('calendar with a broken VTIMEZONE', () => {
  it('is reported, and its events are still captured at the right time', async () => {
    const file = 'test-fixtures/capture/broken-vtimezone.ics';
    const text = readFileSync(file, 'utf8').replace(
      /^BEGIN:VEVENT\r?$/gm,
      (m) => `${m}\nORGANIZER:mailto:o@example.com`,
    );
    const path = join(mkdtempSync(join(tmpdir(), 'gleaner-ics-')), 'broken.ics');
    writeFileSync(path, text);
    const window = { from: Date.UTC(2020, 0, 1), to: Date.UTC(2020, 11, 31), defaultZone: 'UTC' };
    const { activities, rejections, warnings } = await collect(
      readCalendars({ paths: [path], options: window }),
    );
    expect(warnings.map((w) => w.reason)).toContain(
      'broken VTIMEZONE W. Europe Standard Time; used its name instead',
    );
    // 09:00 in Europe/Berlin summer time.
    expect(activities[0]?.occurredAt).toBe(Date.UTC(2020, 8, 10, 7, 0));
    // The one event with a malformed DTSTART line is rejected with its line; the others are kept.
    expect(rejections).toEqual([expect.objectContaining({ line: 146 })]);
    expect(activities.length).toBeGreaterThan(2);
  });
});

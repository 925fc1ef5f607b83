import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { DemoActivity, DemoLead, DemoRep, DemoWorkspace } from './generate-demo.ts';

/**
 * The demo's captured activity as the files a real workspace would feed to capture: one mbox of
 * e-mail, one .ics calendar of meetings and one dialer CSV of calls. Headers only, no bodies.
 */
export type DemoFiles = { mbox: string; ics: string; callsCsv: string };

export function renderDemoFiles(workspace: DemoWorkspace): { mbox: string; ics: string; calls: string } {
  const leads = new Map(workspace.leads.map((lead) => [lead.externalId, lead]));
  const reps = new Map(workspace.reps.map((rep) => [rep.key, rep]));
  const mail: string[] = [];
  const events: string[] = [];
  // Aircall's flattened Call export, so the demo runs through `gleaner capture calls --preset aircall`.
  const calls: string[][] = [
    [
      'id',
      'direction',
      'status',
      'started_at',
      'ended_at',
      'duration',
      'raw_digits',
      'user_email',
      'user_name',
    ],
  ];
  for (const activity of workspace.activities) {
    const lead = leads.get(activity.leadExternalId);
    const rep = reps.get(activity.repKey);
    if (!lead || !rep) continue;
    if (activity.kind === 'email') mail.push(mboxMessage(activity, lead, rep));
    else if (activity.kind === 'meeting') events.push(icsEvent(activity, lead, rep));
    else
      calls.push([
        activity.sourceKey,
        'outbound',
        aircallStatus[activity.disposition ?? ''] ?? 'missed',
        aircallTime(activity.occurredAt),
        aircallTime(activity.occurredAt + (activity.durationSeconds ?? 0) * 1000),
        String(activity.durationSeconds ?? 0),
        lead.phone,
        rep.email,
        rep.name,
      ]);
  }
  const ics = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Gleaner//Demo workspace//EN',
    ...events,
    'END:VCALENDAR',
    '',
  ].join('\r\n');
  return { mbox: mail.join(''), ics, calls: stringify(calls) };
}

/** Writes the three files into `dir` and returns their paths. */
export function writeDemoFiles(workspace: DemoWorkspace, dir: string): DemoFiles {
  mkdirSync(dir, { recursive: true });
  const rendered = renderDemoFiles(workspace);
  const files = {
    mbox: join(dir, 'demo-mail.mbox'),
    ics: join(dir, 'demo-meetings.ics'),
    callsCsv: join(dir, 'demo-calls.csv'),
  };
  writeFileSync(files.mbox, rendered.mbox);
  writeFileSync(files.ics, rendered.ics);
  writeFileSync(files.callsCsv, rendered.calls);
  return files;
}

const aircallStatus: Record<string, string> = {
  connected: 'answered',
  no_answer: 'missed',
  voicemail: 'voicemail',
  busy: 'refused',
};

/** `yyyy-MM-dd HH:mm:ss`, UTC: Aircall's export format. */
const aircallTime = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

function mboxMessage(activity: DemoActivity, lead: DemoLead, rep: DemoRep): string {
  const date = new Date(activity.occurredAt);
  const leadAddress = `"${lead.firstName} ${lead.lastName}" <${lead.email}>`;
  const repAddress = `"${rep.name}" <${rep.email}>`;
  const outbound = activity.direction === 'outbound';
  const from = outbound ? rep.email : lead.email;
  const headers = [
    `From ${from} ${asctime(date)}`,
    `Message-ID: ${activity.sourceKey}`,
    `Date: ${date.toUTCString()}`,
    `From: ${outbound ? repAddress : leadAddress}`,
    `To: ${outbound ? leadAddress : repAddress}`,
    `Subject: ${activity.subject}`,
    ...(activity.inReplyTo
      ? [`In-Reply-To: ${activity.inReplyTo}`, `References: ${activity.inReplyTo}`]
      : []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
  ];
  return `${headers.join('\n')}\n\n(body not kept)\n\n`;
}

/** The mbox separator line's date: `Sun Jul 26 10:38:29 2026` (asctime, UTC). */
function asctime(date: Date): string {
  const [day, , month, year, time] = date.toUTCString().replace(',', '').split(' ');
  return `${day} ${month} ${String(date.getUTCDate()).padStart(2, ' ')} ${time} ${year}`;
}

function icsDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function icsEvent(activity: DemoActivity, lead: DemoLead, rep: DemoRep): string {
  const end = activity.occurredAt + (activity.durationSeconds ?? 1800) * 1000;
  return [
    'BEGIN:VEVENT',
    `UID:${activity.sourceKey}`,
    `DTSTAMP:${icsDate(activity.occurredAt)}`,
    `DTSTART:${icsDate(activity.occurredAt)}`,
    `DTEND:${icsDate(end)}`,
    `SUMMARY:${activity.subject.replace(/[,;]/g, (c) => `\\${c}`)}`,
    `ORGANIZER;CN=${rep.name}:mailto:${rep.email}`,
    `ATTENDEE;CN=${rep.name};PARTSTAT=ACCEPTED:mailto:${rep.email}`,
    `ATTENDEE;CN=${lead.firstName} ${lead.lastName};PARTSTAT=ACCEPTED:mailto:${lead.email}`,
    'STATUS:CONFIRMED',
    'END:VEVENT',
  ].join('\r\n');
}

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCalendar } from './calendar.ts';
import { readMail } from './mail-files.ts';

const dir = 'test-fixtures/capture/golden';
type Entry = { input: string; reader: 'mail' | 'calendar'; expected: string; note: string };
const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Entry[];

async function parse(entry: Entry): Promise<unknown[]> {
  const file = join(dir, entry.input);
  const out: unknown[] = [];
  if (entry.reader === 'mail') {
    for await (const event of readMail({ paths: [file], format: 'eml' })) out.push(event);
  } else {
    const window = { from: Date.UTC(2000, 0, 1), to: Date.UTC(2030, 0, 1), defaultZone: 'UTC' };
    for (const event of parseCalendar({ text: readFileSync(file, 'utf8'), file, options: window }))
      out.push(event);
  }
  return out;
}

describe('golden fixtures: real inputs beside their expected parse', () => {
  it.each(manifest)('$input ($note)', async (entry) => {
    const actual = await parse(entry);
    const expectedPath = join(dir, entry.expected);
    if (process.env.UPDATE_GOLDEN) writeFileSync(expectedPath, `${JSON.stringify(actual, null, 2)}\n`);
    expect(actual).toEqual(JSON.parse(readFileSync(expectedPath, 'utf8')));
  });
});

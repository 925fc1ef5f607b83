import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { type CsvChunk, readCsvChunks, readCsvChunksWithCsvParse } from './csv-reader.ts';
import { seededRandom } from './generate-leads.ts';

async function readAll(text: string, pieceSizes: number[], read = readCsvChunks): Promise<CsvChunk> {
  const buffer = Buffer.from(text, 'utf8');
  async function* pieces() {
    let at = 0;
    let k = 0;
    while (at < buffer.length) {
      const size = pieceSizes[k++ % pieceSizes.length] ?? 1;
      yield buffer.subarray(at, at + size);
      at += size;
    }
  }
  const out: CsvChunk = { records: [], lines: [], bytes: [], errors: [] };
  for await (const chunk of read(pieces(), 3)) {
    for (const e of chunk.errors) out.errors.push({ ...e, before: e.before + out.records.length });
    out.records.push(...chunk.records);
    out.lines.push(...chunk.lines);
    out.bytes.push(...chunk.bytes);
  }
  return out;
}

const csvParse = (text: string): string[][] =>
  parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true });

/** A random well-formed CSV: quoted cells with commas, quotes, line breaks and non-ASCII text. */
function randomCsv(seed: number, eol: string): string {
  const random = seededRandom(seed);
  const pieces = ['a', 'Müller', "O'Brien", 'x y', '東京', '😀', '1.5', '', ' padded '];
  const special = ['Director, Sales', 'say "hi"', `two${eol}lines`, '"', ',', `${eol}`];
  const rows: string[] = [];
  const n = 1 + Math.floor(random() * 40);
  for (let r = 0; r < n; r++) {
    if (random() < 0.05) {
      rows.push('');
      continue;
    }
    const cells: string[] = [];
    const width = 1 + Math.floor(random() * 6);
    for (let c = 0; c < width; c++) {
      if (random() < 0.25) {
        const s = special[Math.floor(random() * special.length)] ?? '';
        cells.push(`"${s.replace(/"/g, '""')}"`);
      } else cells.push(pieces[Math.floor(random() * pieces.length)] ?? '');
    }
    if (cells.length === 1 && cells[0] === '') cells[0] = 'z';
    rows.push(cells.join(','));
  }
  return (random() < 0.5 ? '\ufeff' : '') + rows.join(eol) + (random() < 0.5 ? eol : '');
}

/** A random file with what CRM exports get wrong: stray and unclosed quotes, blanks after a closing quote, mixed line ends. */
function randomMalformedCsv(seed: number): string {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const cells = [
    'a',
    'x"y',
    '5" screen',
    '"q" x',
    '"a"  ',
    '"a" ',
    '""',
    '"ok"',
    '"a""b"',
    ' ',
    '',
    'Müller',
    '"two\nlines"',
  ];
  const eols = ['\n', '\r\n', '\r'];
  const main = pick(eols);
  let out = random() < 0.3 ? '\ufeff' : '';
  const n = 1 + Math.floor(random() * 30);
  for (let r = 0; r < n; r++) {
    const width = Math.floor(random() * 4);
    const row: string[] = [];
    for (let c = 0; c < width; c++)
      row.push(random() < 0.15 ? pick(cells) : pick(['a', 'b c', '1', '"d,e"']));
    if (random() < 0.02) row.push('"open');
    out += row.join(',') + (random() < 0.1 ? pick(eols) : main);
  }
  return out;
}

describe('readCsvChunks', () => {
  it('reads malformed files as csv-parse does: records, lines and errors', async () => {
    for (let seed = 1; seed <= 250; seed++) {
      const text = randomMalformedCsv(seed);
      const expected = await readAll(text, [1 << 20], readCsvChunksWithCsvParse);
      for (const sizes of [[1], [5, 64], [1 << 20]]) {
        const got = await readAll(text, sizes);
        const label = `seed ${seed} sizes ${sizes}: ${JSON.stringify(text)}`;
        expect(got.records, label).toEqual(expected.records);
        expect(got.lines, label).toEqual(expected.lines);
        expect(got.errors, label).toEqual(expected.errors);
      }
    }
  });

  it('numbers records of well-formed files by line as csv-parse does', async () => {
    for (let seed = 1; seed <= 150; seed++) {
      const text = randomCsv(seed, seed % 3 === 0 ? '\r\n' : seed % 3 === 1 ? '\n' : '\r');
      const expected = await readAll(text, [1 << 20], readCsvChunksWithCsvParse);
      for (const sizes of [[3], [1 << 20]]) {
        const got = await readAll(text, sizes);
        expect(got.lines, `seed ${seed}`).toEqual(expected.lines);
      }
    }
  });

  it('reads the same records as csv-parse from random well-formed files in any chunking', async () => {
    for (let seed = 1; seed <= 300; seed++) {
      const eol = seed % 3 === 0 ? '\r\n' : seed % 3 === 1 ? '\n' : '\r';
      const text = randomCsv(seed, eol);
      const expected = csvParse(text);
      for (const sizes of [[1], [2, 3, 5], [7, 64], [1 << 20]]) {
        const got = await readAll(text, sizes);
        expect(got.errors, `seed ${seed} sizes ${sizes}`).toEqual([]);
        expect(got.records, `seed ${seed} sizes ${sizes}`).toEqual(expected);
      }
    }
  });

  it('numbers records by the line they start on and counts bytes up to the file size', async () => {
    const text = 'a,b\n1,"x\ny"\n\n2,3\r\n"4",5';
    const got = await readAll(text, [3]);
    expect(got.records).toEqual([
      ['a', 'b'],
      ['1', 'x\ny'],
      ['2', '3'],
      ['4', '5'],
    ]);
    expect(got.lines).toEqual([1, 2, 5, 6]);
    expect(got.bytes.at(-1)).toBe(Buffer.byteLength(text));
    expect([...got.bytes].sort((x, y) => x - y)).toEqual(got.bytes);
  });

  it('keeps stray quotes in unquoted fields as text; an unclosed quote names the lines it swallowed', async () => {
    const text = 'a,b\n1,2\nx"y,3\n"a""b",4\n"q" x,5\n6,7\n"open,8\n9,10\n';
    for (const sizes of [[1], [4], [1 << 16]]) {
      const got = await readAll(text, sizes);
      expect(got.records).toEqual([
        ['a', 'b'],
        ['1', '2'],
        ['x"y', '3'],
        ['a"b', '4'],
        ['"q" x', '5'],
        ['6', '7'],
      ]);
      expect(got.lines).toEqual([1, 2, 3, 4, 5, 6]);
      expect(got.errors.map((e) => [e.line, e.before])).toEqual([[7, 6]]);
      expect(got.errors[0]?.reason).toMatch(/^Quote Not Closed: .* starts on line 7 .* lines 7–8/);
    }
  });
});

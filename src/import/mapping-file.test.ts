import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error.ts';
import { compileMapping } from './compile-mapping.ts';
import { parseMappingFile } from './mapping-file.ts';

function errorOf(text: string): AppError {
  try {
    parseMappingFile(text, 'map.json');
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the mapping to be rejected');
}

const valid = `{
  "name": "my-crm",
  "timeZone": "America/New_York",
  "empty": ["Select", "n/a"],
  "entities": {
    "leads": {
      "fields": {
        "external_id": "Id",
        "status": { "column": "Stage", "map": { "New": "mql", "Working": "working", "Dead": null } },
        "annual_revenue": "Revenue",
        "handed_over_at": { "column": "MQL Date", "format": "MM/dd/yyyy" },
        "name": { "columns": ["First", "Last"] },
        "source": { "const": "webinar" }
      }
    }
  }
}`;

describe('mapping files', () => {
  it('accepts a valid mapping and maps a row with every transform', () => {
    const mapping = parseMappingFile(valid, 'map.json');
    const compiled = compileMapping({
      mapping,
      kind: 'leads',
      header: ['Id', 'Stage', 'Revenue', 'MQL Date', 'First', 'Last'],
      timeZone: 'America/New_York',
    });
    const row = compiled.map(['A1', 'Working', '$22,700.00', '03/04/2021', 'Ada', 'n/a']);
    expect(row).toEqual({
      ok: true,
      records: [
        {
          values: {
            external_id: 'A1',
            status: 'working',
            annual_revenue: 22700,
            handed_over_at: Date.parse('2021-03-04T05:00:00Z'),
            name: 'Ada',
            source: 'webinar',
          },
          extra: null,
        },
      ],
    });
    const unmapped = compiled.map(['A2', 'Lost', '', '', '', '']);
    expect(unmapped).toEqual({
      ok: false,
      problem: { field: 'status', reason: '"Lost" is not in the value map (new, working, dead)' },
    });
    expect(compiled.map(['A3', 'Dead', '', '', '', ''])).toMatchObject({
      ok: true,
      records: [{ values: { status: null } }],
    });
  });

  it.each([
    [
      valid.replace('"mql"', '"hot"'),
      9,
      'entities.leads.fields.status.map.New',
      '"hot" is not one of nurture',
    ],
    [
      valid.replace('"annual_revenue"', '"revenue"'),
      10,
      'entities.leads.fields.revenue',
      '"revenue" is not a leads field',
    ],
    [
      valid.replace('"America/New_York"', '"Mars/Olympus"'),
      3,
      'timeZone',
      'unknown time zone "Mars/Olympus"',
    ],
    [
      valid.replace('"format": "MM/dd/yyyy"', '"format": 7'),
      11,
      'entities.leads.fields.handed_over_at.format',
      '',
    ],
    [valid.replace('"external_id": "Id",', ''), 7, 'entities.leads.fields', 'needs the field "external_id"'],
    [valid.replace('"name": "my-crm"', '"name": "My CRM"'), 2, 'name', 'lower-case letters'],
    [
      valid.replace('"source": { "const": "webinar" }', '"source": { "const": "webinar", "column": "Src" }'),
      13,
      'entities.leads.fields.source',
      'exactly one of',
    ],
  ])('names the line and field of an error (%#)', (text, line, field, message) => {
    const error = errorOf(text);
    expect(error.location).toMatchObject({ file: 'map.json', line, field });
    expect(error.message).toContain(message);
  });

  it('reports broken JSON with its line and column', () => {
    const error = errorOf('{\n  "name": "x",\n  "entities": { "leads": }\n}');
    expect(error.location).toMatchObject({ file: 'map.json', line: 3, column: 26 });
    expect(error.message).toContain('invalid JSON');
  });

  it('stops before reading rows when a column is missing, naming it', () => {
    const mapping = parseMappingFile(valid, 'map.json');
    expect(() =>
      compileMapping({
        mapping,
        kind: 'leads',
        header: ['Id', 'Stage', 'Revenue', 'First', 'Last'],
        timeZone: 'UTC',
        file: 'x.csv',
      }),
    ).toThrow('missing required column "MQL Date"');
  });
});

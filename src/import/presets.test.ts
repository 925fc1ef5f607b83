import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileMapping } from './compile-mapping.ts';
import { type ImportKind, importKinds } from './entities.ts';
import { columnsOf, describeNoMatch, detectPreset, loadPresets } from './presets.ts';

const headersDir = 'test-fixtures/import/headers';
const header = (name: string) =>
  (readFileSync(join(headersDir, `${name}.csv`), 'utf8').split('\n')[0] ?? '').split(',');
const presets = loadPresets();

describe('presets', () => {
  it('ships every CRM the issue names, each valid', () => {
    expect(presets.map((p) => p.name).sort()).toEqual(
      readdirSync(headersDir)
        .map((f) => f.replace('.csv', ''))
        .sort(),
    );
  });

  const cases = presets.flatMap((p) =>
    importKinds.filter((k) => p.entities[k]).map((kind) => ({ preset: p.name, kind })),
  );
  it.each(cases)(
    'auto-detects $preset for $kind from its header and compiles against it',
    ({ preset, kind }) => {
      const h = header(preset);
      const detection = detectPreset({ header: h, kind, presets });
      expect(detection.ok && detection.preset.name).toBe(preset);
      if (detection.ok)
        expect(() =>
          compileMapping({ mapping: detection.preset, kind, header: h, timeZone: 'UTC' }),
        ).not.toThrow();
    },
  );

  it('lists unmatched columns and the closest presets when none fits', () => {
    const h = ['Lead ID', 'Lead Source', 'Favourite Colour'];
    const detection = detectPreset({ header: h, kind: 'leads', presets });
    expect(detection.ok).toBe(false);
    if (detection.ok) return;
    expect(detection.unmatched).toEqual(['Favourite Colour']);
    expect(detection.closest[0]).toEqual({
      name: 'salesforce-lead',
      present: 2,
      of: 3,
      missing: ['Lead Status'],
    });
    expect(describeNoMatch(detection, 'leads')).toContain(
      'closest presets: salesforce-lead (2/3 columns; missing "Lead Status")',
    );
  });

  it('does not offer a preset for a kind it cannot import', () => {
    const detection = detectPreset({ header: header('olist-mql'), kind: 'reps' as ImportKind, presets });
    expect(detection.ok).toBe(false);
  });

  it('reads Zoho dates like "15 Apr, 2021 00:03:00" and maps Zoho statuses to the lifecycle', () => {
    const zoho = presets.find((p) => p.name === 'zoho-leads');
    if (!zoho) throw new Error('zoho-leads preset missing');
    const h = header('zoho-leads');
    const compiled = compileMapping({ mapping: zoho, kind: 'leads', header: h, timeZone: 'Asia/Kolkata' });
    const row = h.map(() => '');
    const set = (col: string, v: string) => {
      row[h.indexOf(col)] = v;
    };
    set('Record Id', 'zcrm_4150868000000224005');
    set('Created Time', '15 Apr, 2021 00:03:00');
    set('Lead Status', 'Junk Lead');
    set('Annual Revenue', '$22,700.00');
    set('Website', 'https://www.zylker.com');
    expect(compiled.map(row)).toMatchObject({
      ok: true,
      records: [
        {
          values: {
            external_id: 'zcrm_4150868000000224005',
            created_at: Date.parse('2021-04-14T18:33:00Z'),
            status: 'rejected',
            annual_revenue: 22700,
            company_domain: 'zylker.com',
          },
        },
      ],
    });
  });

  it('knows the columns each preset reads', () => {
    const olist = presets.find((p) => p.name === 'olist-deals');
    expect(olist && columnsOf(olist, 'reps')).toEqual(['mql_id', 'seller_id', 'sdr_id', 'sr_id', 'won_date']);
  });
});

import { describe, expect, it } from 'vitest';
import { createReportCache, type ReportBodies, reportBodies } from './report-cache.ts';

const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('report cache', () => {
  it('computes once per key and version, shares concurrent misses, serves stale while refreshing old results', async () => {
    const cache = createReportCache({ maxEntries: 2, maxAgeMs: 1000 });
    let computed = 0;
    const compute = async (): Promise<ReportBodies> => {
      computed += 1;
      const json = new TextEncoder().encode(`{"n":${computed}}`);
      return reportBodies(json, json);
    };
    const get = (key: string, version: string, now: number) => cache.get({ key, version, now, compute });
    const [a, b] = await Promise.all([get('k', 'v1', 0), get('k', 'v1', 0)]);
    expect(computed).toBe(1);
    expect(a).toBe(b);
    expect(text((await get('k', 'v1', 500)).json.bytes)).toBe('{"n":1}');
    // A new data version is computed before answering.
    expect(text((await get('k', 'v2', 600)).json.bytes)).toBe('{"n":2}');
    // Too old: the stale result answers at once, a refresh replaces it.
    expect(text((await get('k', 'v2', 2000)).json.bytes)).toBe('{"n":2}');
    await new Promise((r) => setTimeout(r, 10));
    expect(text((await get('k', 'v2', 2001)).json.bytes)).toBe('{"n":3}');
    await get('x', 'v2', 2002);
    await get('y', 'v2', 2003); // evicts the least recently used ('k')
    expect(cache.size()).toBe(2);
    expect(text((await get('k', 'v2', 2004)).json.bytes)).toBe('{"n":6}');
  });
});

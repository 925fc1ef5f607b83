import { describe, expect, it } from 'vitest';
import { type ComputeReport, createReportCache, reportBodies, type VersionStamp } from './report-cache.ts';

const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** A cache whose computations number their results: {"n":1}, {"n":2}, … */
function counting(options: Parameters<typeof createReportCache>[0] = {}) {
  const cache = createReportCache({ maxAgeMs: 1000, staleForMs: 100, usedWithinMs: 10_000, ...options });
  let computed = 0;
  const compute: ComputeReport = async () => {
    computed += 1;
    const json = new TextEncoder().encode(`{"n":${computed}}`);
    return reportBodies(json, json);
  };
  const get = async (key: string, version: VersionStamp, now: number) =>
    text((await cache.get({ key, version, now, compute })).json.bytes);
  return { cache, get, computed: () => computed };
}
// `local` moves with this server's writes; the key also with writes by other processes.
const v = (fingerprint: string, local = 0): VersionStamp => ({ key: `${fingerprint}#${local}`, local });

describe('report cache', () => {
  it('computes once per key and version, sharing concurrent misses', async () => {
    const { get, computed } = counting();
    expect(await Promise.all([get('k', v('f1'), 0), get('k', v('f1'), 0)])).toEqual(['{"n":1}', '{"n":1}']);
    expect(await get('k', v('f1'), 500)).toBe('{"n":1}');
    expect(computed()).toBe(1);
  });

  it('keeps one ETag per variant, from the bytes', () => {
    const json = new TextEncoder().encode('{"a":1}');
    const bodies = reportBodies(json, new TextEncoder().encode('a\n1\n'));
    expect(new Set([bodies.json.etag, bodies.jsonGzip.etag, bodies.csv.etag]).size).toBe(3);
    expect(reportBodies(json, new Uint8Array()).json.etag).toBe(bodies.json.etag);
  });

  it.each([
    // [what changed, second version, when, answer at once, answer after the recomputation]
    ['nothing', v('f1'), 500, '{"n":1}', '{"n":1}'],
    ['a write through this server: wait for the new result', v('f1', 1), 500, '{"n":2}', '{"n":2}'],
    ['a write elsewhere: the old result while recomputing', v('f2'), 500, '{"n":1}', '{"n":2}'],
    [
      'the clock only (older than maxAge): the old result while recomputing',
      v('f1'),
      1500,
      '{"n":1}',
      '{"n":2}',
    ],
  ] as const)('%s', async (_what, second, at, now, later) => {
    const { cache, get } = counting();
    expect(await get('k', v('f1'), 0)).toBe('{"n":1}');
    expect(await get('k', second, at)).toBe(now);
    await cache.idle();
    expect(await get('k', second, at + 1)).toBe(later);
  });

  it('serves a result outdated by a write elsewhere for staleForMs at most', async () => {
    let failing = false;
    const cache = createReportCache({ staleForMs: 100 });
    const compute: ComputeReport = async () => {
      if (failing) throw new Error('store unreachable');
      return reportBodies(new TextEncoder().encode('{"ok":1}'), new Uint8Array());
    };
    const get = async (now: number) =>
      text((await cache.get({ key: 'k', version: v(now === 0 ? 'f1' : 'f2'), now, compute })).json.bytes);
    await get(0);
    failing = true;
    // The background recomputation fails: the old result is served until staleForMs has passed…
    expect(await get(1000)).toBe('{"ok":1}');
    await cache.idle();
    expect(await get(1100)).toBe('{"ok":1}');
    await cache.idle();
    // …then the request waits for (here: fails with) the recomputation.
    await expect(get(1101)).rejects.toThrow('unreachable');
  });

  it('refreshes in the background the out-of-date results used lately, only those', async () => {
    const { cache, get, computed } = counting({ usedWithinMs: 1000, maxAgeMs: 60_000 });
    await get('old', v('f1'), 0);
    await get('recent', v('f1'), 500);
    await get('current', v('f2'), 1400);
    expect(computed()).toBe(3);
    expect(cache.refreshUsed({ version: v('f2'), now: 1450 })).toBe(1); // 'recent' (used at 500)
    await cache.idle();
    expect(computed()).toBe(4);
    expect(await get('recent', v('f2'), 1451)).toBe('{"n":4}');
    expect(cache.refreshUsed({ version: v('f2'), now: 1452 })).toBe(0);
  });

  it('drops the least recently used entries beyond maxEntries', async () => {
    const { cache, get, computed } = counting({ maxEntries: 2 });
    await get('k', v('f1'), 0);
    await get('x', v('f1'), 1);
    await get('k', v('f1'), 2);
    await get('y', v('f1'), 3); // evicts 'x', the least recently used
    expect(cache.size()).toBe(2);
    expect(computed()).toBe(3);
    await get('k', v('f1'), 4);
    expect(computed()).toBe(3);
    await get('x', v('f1'), 5);
    expect(computed()).toBe(4);
  });
});

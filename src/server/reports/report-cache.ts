/**
 * Report results by key (report, parameters, caller's scope), valid for one data version. Results
 * are kept serialised — JSON, gzipped JSON and CSV bytes — so a hit costs one map lookup and no
 * encoding. Concurrent misses for the same key share one computation. A result older than
 * `maxAgeMs` (SLA states move with the clock even when no data changes) is still served while
 * one background recomputation replaces it. Bounded: least recently used entries go first.
 */
export type ReportBodies = { json: Uint8Array; jsonGzip: Uint8Array; csv: Uint8Array };
export type CachedReport = ReportBodies & { version: string; computedAt: number };

export type ReportCache = {
  get: (options: {
    key: string;
    version: string;
    now: number;
    compute: () => Promise<ReportBodies>;
  }) => Promise<CachedReport>;
  size: () => number;
};

export function createReportCache(options: { maxEntries?: number; maxAgeMs?: number } = {}): ReportCache {
  const maxEntries = options.maxEntries ?? 500;
  const maxAgeMs = options.maxAgeMs ?? 5 * 60_000;
  const entries = new Map<string, CachedReport>();
  const pending = new Map<string, Promise<CachedReport>>();

  const refresh = (key: string, version: string, now: number, compute: () => Promise<ReportBodies>) => {
    const flightKey = `${version}\u0000${key}`;
    const inFlight = pending.get(flightKey);
    if (inFlight) return inFlight;
    const work = compute()
      .then((bodies) => {
        const entry: CachedReport = { ...bodies, version, computedAt: now };
        entries.delete(key);
        entries.set(key, entry);
        while (entries.size > maxEntries) {
          const oldest = entries.keys().next();
          if (oldest.done) break;
          entries.delete(oldest.value);
        }
        return entry;
      })
      .finally(() => pending.delete(flightKey));
    pending.set(flightKey, work);
    return work;
  };

  return {
    get: async ({ key, version, now, compute }) => {
      const hit = entries.get(key);
      if (hit && hit.version === version) {
        entries.delete(key);
        entries.set(key, hit);
        if (now - hit.computedAt > maxAgeMs) refresh(key, version, now, compute).catch(() => {});
        return hit;
      }
      return refresh(key, version, now, compute);
    },
    size: () => entries.size,
  };
}

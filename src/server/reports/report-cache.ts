import { hash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

/**
 * Report results by key (report, parameters, caller's scope), valid for one data version. Results
 * are kept as the bytes a response sends — JSON, gzipped JSON and CSV, each with its ETag — so a hit
 * costs one map lookup: no encoding, compression or hashing per request. Concurrent misses for the
 * same key share one computation. A result older than `maxAgeMs` (SLA states move with the clock
 * even when no data changes) is still served while one background recomputation replaces it.
 * Bounded: least recently used entries go first.
 */
export type ReportBody = { bytes: Uint8Array; etag: string };
export type ReportBodies = { json: ReportBody; jsonGzip: ReportBody; csv: ReportBody };
export type CachedReport = ReportBodies & { version: string; computedAt: number };

/** The cached variants of one result: gzip once at level 9 (it is served many times), one-shot hashes. */
export function reportBodies(json: Uint8Array, csv: Uint8Array): ReportBodies {
  return { json: body(json), jsonGzip: body(gzipSync(json, { level: 9 })), csv: body(csv) };
}

function body(bytes: Uint8Array): ReportBody {
  return { bytes, etag: `"${hash('sha1', bytes, 'base64url')}"` };
}

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

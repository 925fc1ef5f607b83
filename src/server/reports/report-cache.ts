import { hash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

/**
 * Report results by key (report, parameters, caller's scope), each computed under one data version.
 * Results are kept as the bytes a response sends — JSON, gzipped JSON and CSV, each with its ETag — so
 * a hit costs one map lookup: no encoding, compression or hashing per request. Concurrent misses
 * for the same key and version share one computation. Freshness:
 * - a write through this server (the version's `local` counter moved) is never answered from an
 *   older result: the request waits for the recomputation;
 * - a change made elsewhere (only the fingerprint moved) is answered from the previous result for at
 *   most `staleForMs` after it was first seen, while the recomputation runs in the background;
 * - a result older than `maxAgeMs` (SLA states move with the clock even when no data changes) is
 *   still served while one background recomputation replaces it;
 * - `refreshUsed` recomputes, in the background, every result used within `usedWithinMs` that is
 *   out of date by either rule (the server calls it every few seconds).
 * Bounded: least recently used entries go first.
 */
export type ReportBody = { bytes: Uint8Array; etag: string };
export type ReportBodies = { json: ReportBody; jsonGzip: ReportBody; csv: ReportBody };
export type CachedReport = ReportBodies & { version: string; computedAt: number };
/** A data version: `key` names it; `local` counts this server's own writes (see data-version.ts). */
export type VersionStamp = { key: string; local: number };
export type ComputeReport = (at: { version: string; now: number }) => Promise<ReportBodies>;

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
    version: VersionStamp;
    now: number;
    compute: ComputeReport;
  }) => Promise<CachedReport>;
  /** Starts background recomputations of the out-of-date results used lately; returns how many. */
  refreshUsed: (options: { version: VersionStamp; now: number }) => number;
  /** Resolves once no computation is running (tests, shutdown). */
  idle: () => Promise<void>;
  size: () => number;
};

type Entry = {
  result: CachedReport;
  local: number;
  /** When a newer data version was first seen while this result was kept. */
  staleSince: number | null;
  usedAt: number;
  compute: ComputeReport;
};

export function createReportCache(
  options: { maxEntries?: number; maxAgeMs?: number; staleForMs?: number; usedWithinMs?: number } = {},
): ReportCache {
  const maxEntries = options.maxEntries ?? 500;
  const maxAgeMs = options.maxAgeMs ?? 5 * 60_000;
  const staleForMs = options.staleForMs ?? 60_000;
  const usedWithinMs = options.usedWithinMs ?? 30 * 60_000;
  const entries = new Map<string, Entry>();
  const pending = new Map<string, Promise<CachedReport>>();

  const refresh = (key: string, version: VersionStamp, now: number, compute: ComputeReport) => {
    const flightKey = `${version.key}\u0000${key}`;
    const inFlight = pending.get(flightKey);
    if (inFlight) return inFlight;
    const work = compute({ version: version.key, now })
      .then((bodies) => {
        const result: CachedReport = { ...bodies, version: version.key, computedAt: now };
        const usedAt = entries.get(key)?.usedAt ?? now;
        entries.delete(key);
        entries.set(key, { result, local: version.local, staleSince: null, usedAt, compute });
        while (entries.size > maxEntries) {
          const oldest = entries.keys().next();
          if (oldest.done) break;
          entries.delete(oldest.value);
        }
        return result;
      })
      .finally(() => pending.delete(flightKey));
    pending.set(flightKey, work);
    return work;
  };
  const inBackground = (key: string, version: VersionStamp, now: number, compute: ComputeReport) => {
    // A failed background recomputation leaves the previous result; the next request tries again.
    refresh(key, version, now, compute).catch(() => {});
  };

  return {
    get: async ({ key, version, now, compute }) => {
      const hit = entries.get(key);
      if (!hit) return refresh(key, version, now, compute);
      entries.delete(key);
      entries.set(key, hit);
      hit.usedAt = now;
      hit.compute = compute;
      if (hit.result.version === version.key) {
        if (now - hit.result.computedAt > maxAgeMs) inBackground(key, version, now, compute);
        return hit.result;
      }
      if (hit.local !== version.local) return refresh(key, version, now, compute);
      hit.staleSince ??= now;
      if (now - hit.staleSince > staleForMs) return refresh(key, version, now, compute);
      inBackground(key, version, now, compute);
      return hit.result;
    },
    refreshUsed: ({ version, now }) => {
      let started = 0;
      for (const [key, entry] of entries) {
        if (now - entry.usedAt > usedWithinMs) continue;
        const outdated = entry.result.version !== version.key;
        if (!outdated && now - entry.result.computedAt <= maxAgeMs) continue;
        if (outdated && entry.local === version.local) entry.staleSince ??= now;
        inBackground(key, version, now, entry.compute);
        started += 1;
      }
      return started;
    },
    idle: async () => {
      while (pending.size > 0) await Promise.allSettled([...pending.values()]);
    },
    size: () => entries.size,
  };
}

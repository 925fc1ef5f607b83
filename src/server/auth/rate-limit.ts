/**
 * Login rate limiting by IP + email: after `maxFailures` failed logins within `windowMs`, further
 * attempts for that key are refused until the window passes. In memory, so it holds for ONE server
 * process; several API processes would need a shared store (a PostgreSQL table).
 */
export type LoginRateLimiter = {
  /** Milliseconds until the key may try again, or 0 when it may try now. */
  retryAfter: (key: string, now: number) => number;
  recordFailure: (key: string, now: number) => void;
  reset: (key: string) => void;
};

export function createLoginRateLimiter(options: { maxFailures: number; windowMs: number }): LoginRateLimiter {
  const failures = new Map<string, number[]>();
  const recent = (key: string, now: number): number[] => {
    const kept = (failures.get(key) ?? []).filter((t) => now - t < options.windowMs);
    if (kept.length === 0) failures.delete(key);
    else failures.set(key, kept);
    return kept;
  };
  return {
    retryAfter: (key, now) => {
      const kept = recent(key, now);
      if (kept.length < options.maxFailures) return 0;
      const oldest = kept[kept.length - options.maxFailures] ?? now;
      return Math.max(1, oldest + options.windowMs - now);
    },
    recordFailure: (key, now) => {
      const kept = recent(key, now);
      kept.push(now);
      failures.set(key, kept);
      // Bound memory under a spray of keys: forget the oldest keys beyond 100,000.
      if (failures.size > 100_000) {
        const first = failures.keys().next();
        if (!first.done) failures.delete(first.value);
      }
    },
    reset: (key) => {
      failures.delete(key);
    },
  };
}

import { describe, expect, it } from 'vitest';
import { createLoginRateLimiter } from './rate-limit.ts';

describe('login rate limiter', () => {
  it('refuses after maxFailures within the window, per key, until the oldest failure ages out', () => {
    const limiter = createLoginRateLimiter({ maxFailures: 3, windowMs: 1000 });
    for (const t of [0, 100, 200]) {
      expect(limiter.retryAfter('ip|a', t)).toBe(0);
      limiter.recordFailure('ip|a', t);
    }
    expect(limiter.retryAfter('ip|a', 300)).toBe(700); // first failure (t=0) expires at 1000
    expect(limiter.retryAfter('ip|b', 300)).toBe(0);
    expect(limiter.retryAfter('ip|a', 1000)).toBe(0);
    limiter.recordFailure('ip|a', 1000);
    expect(limiter.retryAfter('ip|a', 1001)).toBe(99); // failures at 100, 200, 1000: 100 expires at 1100
    limiter.reset('ip|a');
    expect(limiter.retryAfter('ip|a', 1002)).toBe(0);
  });
});

import type { Principal } from './principal.ts';

/**
 * Remembers who a session cookie or API token belongs to for a few seconds, so a burst of API
 * calls does not look the same credential up in the store each time. Logout and token revocation
 * through this server forget at once; a change made elsewhere (another process, the CLI) takes
 * effect within `ttlMs`.
 */
export type PrincipalCache = {
  get: (credentialHash: string, now: number) => Principal | undefined;
  set: (credentialHash: string, principal: Principal, now: number) => void;
  forget: (predicate: (hash: string, principal: Principal) => boolean) => void;
};

export function createPrincipalCache(options: { ttlMs: number; maxEntries?: number }): PrincipalCache {
  const maxEntries = options.maxEntries ?? 10_000;
  const entries = new Map<string, { principal: Principal; expiresAt: number }>();
  return {
    get: (hash, now) => {
      const hit = entries.get(hash);
      if (!hit) return undefined;
      if (hit.expiresAt <= now) {
        entries.delete(hash);
        return undefined;
      }
      return hit.principal;
    },
    set: (hash, principal, now) => {
      entries.set(hash, { principal, expiresAt: now + options.ttlMs });
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
    },
    forget: (predicate) => {
      for (const [hash, entry] of entries) if (predicate(hash, entry.principal)) entries.delete(hash);
    },
  };
}

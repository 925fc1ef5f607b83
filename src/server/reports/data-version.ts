import { sql } from 'kysely';
import type { Store } from '../../store/open-store.ts';
import type { VersionStamp } from './report-cache.ts';

/**
 * The workspace data version: report results cached under one version are served until it changes.
 * It combines (a) a counter bumped by every write through this server — visible at once — and
 * (b) a fingerprint of the tables reports read (max ids / max updated_at, all index-backed),
 * re-read at most every `recheckMs`, which catches writes by other processes (CLI imports, capture).
 */
export type DataVersion = {
  /** `key` names the version; `local` alone moves with this server's own writes. */
  current: () => Promise<VersionStamp>;
  bump: () => void;
};

export function createDataVersion(
  store: Store,
  options: { now: () => number; recheckMs?: number },
): DataVersion {
  const recheckMs = options.recheckMs ?? 1000;
  let local = 0;
  let fingerprint = '';
  let checkedAt = Number.NEGATIVE_INFINITY;
  let pending: Promise<string> | null = null;

  const refresh = async (): Promise<string> => {
    const { rows } = await sql<Record<string, unknown>>`select
      (select max(id) from activities) as a,
      (select max(id) from lead_events) as e,
      (select count(*) from leads) as n,
      (select max(updated_at) from leads) as l,
      (select max(updated_at) from lead_stats) as s,
      (select max(updated_at) from opportunities) as o,
      (select max(updated_at) from reps) as r,
      (select max(updated_at) from sla_policies) as p,
      (select max(updated_at) from workspace_settings) as w,
      (select max(id) from score_models) as m`.execute(store.db);
    const row = rows[0] ?? {};
    return Object.values(row)
      .map((v) => (v === null || v === undefined ? '-' : String(v)))
      .join('.');
  };

  return {
    current: async () => {
      const now = options.now();
      if (now - checkedAt >= recheckMs) {
        pending ??= refresh().finally(() => {
          pending = null;
        });
        fingerprint = await pending;
        checkedAt = now;
      }
      return { key: `${fingerprint}#${local}`, local };
    },
    bump: () => {
      local += 1;
    },
  };
}

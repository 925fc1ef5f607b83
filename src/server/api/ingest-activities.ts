import { ingestActivities as capture } from '../../capture/ingest.ts';
import type { ServerDeps } from '../route.ts';
import type { IngestActivitiesRequest, IngestActivitiesResponse } from './activities.types.ts';

/**
 * Hands posted activities to the capture capability: the same decisions (bulk, internal-only,
 * blocklist), matching (rep, email, phone, domain) and lead_stats counters as mail and call capture.
 */
export async function ingestActivities(
  deps: ServerDeps,
  input: IngestActivitiesRequest,
): Promise<IngestActivitiesResponse> {
  return capture(deps.store.db, 'activities' in input ? input.activities : input);
}

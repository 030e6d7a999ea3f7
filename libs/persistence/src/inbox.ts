// The consumer side: an event id recorded here, in the handler's transaction, is never handled again.
import { EntityManager } from 'typeorm';

/** Records the ids as handled by this consumer; returns the ids that were new (the ones to handle). */
export async function claimInbox(manager: EntityManager, consumer: string, eventIds: string[]): Promise<Set<string>> {
  if (eventIds.length === 0) return new Set();
  const rows: { event_id: string }[] = await manager.query(
    `INSERT INTO inbox (consumer, event_id) SELECT $1, unnest($2::uuid[])
     ON CONFLICT DO NOTHING RETURNING event_id`,
    [consumer, eventIds],
  );
  return new Set(rows.map((r) => r.event_id));
}

// Where a bounded replay stopped: the last event it looked at, in the replay's order (time, then id). Opaque to the
// subscriber. The time is kept as Postgres wrote it (microseconds, UTC), so that no event at the same millisecond is
// skipped or looked at twice.
import { InputInvalidError } from '@vantage/contracts';

export interface ReplayPosition {
  /** `YYYY-MM-DDTHH:MM:SS.ffffffZ`, as the store selects it. */
  time: string;
  id: string;
}

const POSITION = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)\|([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

export function encodeReplayCursor(position: ReplayPosition): string {
  return Buffer.from(`${position.time}|${position.id}`, 'utf8').toString('base64url');
}

export function decodeReplayCursor(cursor: string): ReplayPosition {
  const m = POSITION.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw new InputInvalidError('cursor is not one a replay answered', [{ field: 'cursor', message: 'must be the nextCursor of an earlier replay' }]);
  return { time: m[1], id: m[2] };
}

// One read of the live stream: the events after a sequence that the caller may see, of the types it asked for.
// The audience stamped by the producer decides, exactly as at webhook fan-out; it is never widened here.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Audience, AudienceMember, CallerIdentity, NotFoundError } from '@vantage/contracts';
import { audienceMember, OrganisationRow } from '../subscriptions/organisation-directory';
import { assertTypePatterns, matchesAny } from '../subscriptions/type-patterns';
import { EventWakeUps } from './event-wake-ups';
import { EventStreamPage, ReadEventStreamRequest, StreamedEvent } from '@vantage/contracts';

/** Rows looked at per query, and at most per read: a caller who may see little does not make one read scan everything. */
const SCAN_BATCH = 500;
const SCAN_LIMIT = 5000;

interface EventRow {
  seq: string;
  type: string;
  audience: string;
  body: string;
}

@Injectable()
export class ReadEventStreamUseCase {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly wakeUps: EventWakeUps,
  ) {}

  async execute(request: ReadEventStreamRequest, caller: CallerIdentity | undefined): Promise<EventStreamPage> {
    if (!caller) throw new NotFoundError('organisation');
    const types = request.types?.length ? request.types : undefined;
    if (types) assertTypePatterns(types);
    const member = await this.memberFor(caller);
    const deadline = Date.now() + request.waitMs;
    let cursor = request.after ?? (await this.head());
    for (;;) {
      const generation = this.wakeUps.generation;
      const scan = await this.scan(cursor, member, types, request.limit);
      cursor = scan.cursor;
      if (scan.events.length || Date.now() >= deadline || this.wakeUps.isClosing) return { events: scan.events, cursor };
      // More rows to look at: look again at once. Otherwise wait for fan-out, unless it already woke us meanwhile.
      if (!scan.more && generation === this.wakeUps.generation) await this.wakeUps.wait(deadline - Date.now());
    }
  }

  /** The directory's record (fed by organisation.created) is the authority; the caller's identity fills a gap. */
  private async memberFor(caller: CallerIdentity): Promise<AudienceMember> {
    const [row]: OrganisationRow[] = await this.dataSource.query('SELECT id, kind, clearance FROM notify.organisations WHERE id = $1', [caller.orgId]);
    return row ? audienceMember(row) : { id: caller.orgId, kind: caller.kind, ...(caller.clearance ? { clearance: caller.clearance } : {}) };
  }

  private async head(): Promise<string> {
    const [{ seq }] = await this.dataSource.query('SELECT COALESCE(max(seq), 0)::text AS seq FROM notify.events');
    return seq;
  }

  private async scan(after: string, member: AudienceMember, types: string[] | undefined, limit: number) {
    const events: StreamedEvent[] = [];
    let cursor = after;
    for (let scanned = 0; scanned < SCAN_LIMIT; ) {
      const rows: EventRow[] = await this.dataSource.query(
        // Ordered by the column, qualified: a bare `seq` would name the text alias, and order 10 before 9.
        'SELECT e.seq::text AS seq, e.type, e.audience, e.body FROM notify.events e WHERE e.seq > $1 ORDER BY e.seq LIMIT $2',
        [cursor, SCAN_BATCH],
      );
      for (const row of rows) {
        cursor = row.seq;
        if ((!types || matchesAny(types, row.type)) && Audience.parse(row.audience).includes(member)) {
          events.push({ seq: row.seq, type: row.type, body: row.body });
          if (events.length >= limit) return { events, cursor, more: true };
        }
      }
      scanned += rows.length;
      if (rows.length < SCAN_BATCH) return { events, cursor, more: false };
    }
    return { events, cursor, more: true };
  }
}

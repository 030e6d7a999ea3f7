// One read of the live stream: the events after a sequence that the caller may see, of the types it asked for.
// The audience stamped by the producer decides, exactly as at webhook fan-out; it is never widened here.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Audience, AudienceMember, CallerIdentity, EventStreamPage, ReadEventStreamRequest, StreamedEvent } from '@vantage/contracts';
import { UseCase } from '@vantage/runtime';
import { memberOf } from '../audience/audience';
import { OrganisationStore } from '../audience/organisation-store';
import { assertTypePatterns, matchesAny } from '../audience/type-patterns';
import { EventStore } from './event-store';
import { EventWakeUps } from './event-wake-ups';

/** Rows looked at per query, and at most per read: a caller who may see little does not make one read scan everything. */
const SCAN_BATCH = 500;
const SCAN_LIMIT = 5000;

export type ReadEventStreamCommand = ReadEventStreamRequest & { caller: CallerIdentity };

@Injectable()
export class ReadEventStreamUseCase implements UseCase<ReadEventStreamCommand, EventStreamPage> {
  constructor(
    private readonly events: EventStore,
    private readonly organisations: OrganisationStore,
    private readonly wakeUps: EventWakeUps,
  ) {}

  /** `m` reads outside any transaction: a long-poll read must not hold one open while it waits. */
  async execute(command: ReadEventStreamCommand, m: EntityManager): Promise<EventStreamPage> {
    const types = command.types?.length ? command.types : undefined;
    if (types) assertTypePatterns(types);
    const member = memberOf(await this.organisations.find(m, command.caller.orgId), command.caller);
    const deadline = Date.now() + command.waitMs;
    let cursor = command.after ?? (await this.events.head(m));
    for (;;) {
      const generation = this.wakeUps.generation;
      const scan = await this.scan(m, cursor, member, types, command.limit);
      cursor = scan.cursor;
      if (scan.events.length || Date.now() >= deadline || this.wakeUps.isClosing) return { events: scan.events, cursor };
      // More rows to look at: look again at once. Otherwise wait for fan-out, unless it already woke us meanwhile.
      if (!scan.more && generation === this.wakeUps.generation) await this.wakeUps.wait(deadline - Date.now());
    }
  }

  private async scan(m: EntityManager, after: string, member: AudienceMember, types: string[] | undefined, limit: number) {
    const events: StreamedEvent[] = [];
    let cursor = after;
    for (let scanned = 0; scanned < SCAN_LIMIT; ) {
      const rows = await this.events.after(m, cursor, SCAN_BATCH);
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

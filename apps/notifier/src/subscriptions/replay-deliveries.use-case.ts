import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '@vantage/clock';
import { CallerIdentity, ReplayedDeliveries, RuleViolationError } from '@vantage/contracts';
import { SERVICE_CONFIG } from '@vantage/runtime';
import { NotifierConfig } from '../config';
import { insertDeliveries, NewDelivery, subscriberWants } from '../deliveries/delivery-rows';
import { OrganisationRow } from './organisation-directory';
import { decodeReplayCursor, encodeReplayCursor } from './replay-cursor';
import { findOwnSubscription } from './subscription-store';

@Injectable()
export class ReplayDeliveriesUseCase {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(SERVICE_CONFIG) private readonly config: NotifierConfig,
  ) {}

  /**
   * Queues again the matching events since `since`, looking at REPLAY_MAX_EVENTS of them at most (in time order),
   * so that one request's work and memory are bounded however far back it reaches; only the columns the rule needs
   * are read, never the bodies. With more left, `nextCursor` goes on after the last one looked at.
   */
  async execute(subscriptionId: string, since: Date, caller: CallerIdentity | undefined, cursor?: string): Promise<ReplayedDeliveries> {
    const after = cursor === undefined ? undefined : decodeReplayCursor(cursor);
    const max = this.config.REPLAY_MAX_EVENTS;
    return this.dataSource.transaction(async (tx) => {
      const sub = await findOwnSubscription(tx, subscriptionId, caller, true);
      if (sub.state !== 'active') {
        throw new RuleViolationError('subscription_disabled', 'subscriptionId names a disabled subscription; nothing can be delivered to it', [
          { field: 'subscriptionId', message: 'is disabled' },
        ]);
      }
      const [owner]: OrganisationRow[] = await tx.query('SELECT id, kind, clearance FROM notify.organisations WHERE id = $1', [sub.org_id]);
      const events: { id: string; type: string; audience: string; at: string; subject: string | null }[] = await tx.query(
        `SELECT id, type, audience, to_char(time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at, body::jsonb->>'subject' AS subject
         FROM notify.events
         WHERE time >= $1 AND ($2::timestamptz IS NULL OR (time, id) > ($2::timestamptz, $3::uuid))
         ORDER BY time, id LIMIT $4`,
        [since, after?.time ?? null, after?.id ?? null, max + 1],
      );
      const looked = events.slice(0, max);
      const rows: NewDelivery[] = [];
      for (const e of looked) {
        // The audience stamped by the producer decides, exactly as at fan-out: a replay never widens it.
        if (!subscriberWants(sub.types, owner, e.type, e.audience)) continue;
        rows.push({ subscriptionId: sub.id, eventId: e.id, eventType: e.type, entity: e.subject ?? '' });
      }
      const queued = await insertDeliveries(tx, rows, this.clock.now(), true);
      const last = looked[looked.length - 1];
      return events.length > max ? { queued, nextCursor: encodeReplayCursor({ time: last.at, id: last.id }) } : { queued };
    });
  }
}

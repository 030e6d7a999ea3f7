import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '@vantage/clock';
import { CallerIdentity, RuleViolationError } from '@vantage/contracts';
import { insertDeliveries, NewDelivery, subscriberWants } from '../deliveries/delivery-rows';
import { OrganisationRow } from './organisation-directory';
import { findOwnSubscription } from './subscription-store';

/** The most events one replay queues; a subscriber who needs more replays again from the last one's time. */
export const REPLAY_LIMIT = 10_000;

@Injectable()
export class ReplayDeliveriesUseCase {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async execute(subscriptionId: string, since: Date, caller: CallerIdentity | undefined): Promise<{ queued: number }> {
    return this.dataSource.transaction(async (tx) => {
      const sub = await findOwnSubscription(tx, subscriptionId, caller, true);
      if (sub.state !== 'active') {
        throw new RuleViolationError('subscription_disabled', 'subscriptionId names a disabled subscription; nothing can be delivered to it', [
          { field: 'subscriptionId', message: 'is disabled' },
        ]);
      }
      const [owner]: OrganisationRow[] = await tx.query('SELECT id, kind, clearance FROM notify.organisations WHERE id = $1', [sub.org_id]);
      const events: { id: string; type: string; audience: string; body: string }[] = await tx.query(
        'SELECT id, type, audience, body FROM notify.events WHERE time >= $1 ORDER BY time, id',
        [since],
      );
      const rows: NewDelivery[] = [];
      for (const e of events) {
        // The audience stamped by the producer decides, exactly as at fan-out: a replay never widens it.
        if (!subscriberWants(sub.types, owner, e.type, e.audience)) continue;
        rows.push({ subscriptionId: sub.id, eventId: e.id, eventType: e.type, entity: (JSON.parse(e.body) as { subject?: string }).subject ?? '' });
        if (rows.length >= REPLAY_LIMIT) break;
      }
      return { queued: await insertDeliveries(tx, rows, this.clock.now(), true) };
    });
  }
}

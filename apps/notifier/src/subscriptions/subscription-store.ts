// Reading subscriptions as their owner sees them; anyone else's is simply not found.
import { EntityManager } from 'typeorm';
import { CallerIdentity, NotFoundError, SubscriptionState, SubscriptionView } from '@vantage/contracts';
import { EndpointDisabledReason } from '@vantage/contracts';

export interface SubscriptionRow {
  id: string;
  org_id: string;
  url: string;
  types: string[];
  state: SubscriptionState;
  secret_sealed: string;
  previous_secret_sealed: string | null;
  previous_secret_expires_at: Date | null;
  failing_since: Date | null;
  disabled_reason: EndpointDisabledReason | null;
  disabled_at: Date | null;
  created_at: Date;
}

/** The caller's own subscription, optionally locked for an update; otherwise 404. */
export async function findOwnSubscription(m: EntityManager, id: string, caller: CallerIdentity | undefined, lock = false): Promise<SubscriptionRow> {
  if (!caller) throw new NotFoundError('subscription');
  const rows: SubscriptionRow[] = await m.query(
    `SELECT * FROM notify.subscriptions WHERE id = $1 AND org_id = $2${lock ? ' FOR UPDATE' : ''}`,
    [id, caller.orgId],
  );
  if (!rows.length) throw new NotFoundError('subscription');
  return rows[0];
}

export function subscriptionView(row: SubscriptionRow): SubscriptionView {
  return {
    id: row.id,
    url: row.url,
    types: row.types,
    state: row.state,
    ...(row.disabled_reason ? { disabledReason: row.disabled_reason } : {}),
    ...(row.disabled_at ? { disabledAt: new Date(row.disabled_at).toISOString() } : {}),
    createdAt: new Date(row.created_at).toISOString(),
  };
}

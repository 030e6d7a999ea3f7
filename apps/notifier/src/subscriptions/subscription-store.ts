// The subscriptions table: read as their owner sees them (anyone else's is simply not found), and written.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CallerIdentity, EndpointDisabledReason, NotFoundError, SubscriptionState, SubscriptionView } from '@vantage/contracts';

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

/** An active subscription with its owner's audience fields, as fan-out tests each event against it. */
export interface ActiveSubscription {
  subscription_id: string;
  types: string[];
  id: string;
  kind: CallerIdentity['kind'];
  clearance: CallerIdentity['clearance'] | null;
}

@Injectable()
export class SubscriptionStore {
  /** The caller's own subscription, optionally locked for an update; otherwise 404. */
  async findOwn(m: EntityManager, id: string, caller: CallerIdentity, lock = false): Promise<SubscriptionRow> {
    const rows: SubscriptionRow[] = await m.query(`SELECT * FROM notify.subscriptions WHERE id = $1 AND org_id = $2${lock ? ' FOR UPDATE' : ''}`, [
      id,
      caller.orgId,
    ]);
    if (!rows.length) throw new NotFoundError('subscription');
    return rows[0];
  }

  async listOwn(m: EntityManager, orgId: string, state?: SubscriptionState): Promise<SubscriptionRow[]> {
    return m.query('SELECT * FROM notify.subscriptions WHERE org_id = $1 AND ($2::text IS NULL OR state = $2) ORDER BY created_at, id', [orgId, state ?? null]);
  }

  /** How many subscriptions (active and disabled) the organisation holds. */
  async countOwn(tx: EntityManager, orgId: string): Promise<number> {
    const [{ held }] = await tx.query('SELECT count(*)::int AS held FROM notify.subscriptions WHERE org_id = $1', [orgId]);
    return held;
  }

  async insert(tx: EntityManager, row: { id: string; orgId: string; url: string; types: string[]; secretSealed: string; createdAt: Date }): Promise<void> {
    await tx.query(
      `INSERT INTO notify.subscriptions (id, org_id, url, types, state, secret_sealed, created_at) VALUES ($1, $2, $3, $4, 'active', $5, $6)`,
      [row.id, row.orgId, row.url, JSON.stringify(row.types), row.secretSealed, row.createdAt],
    );
  }

  async sealedSecret(m: EntityManager, id: string): Promise<string | undefined> {
    const [row] = await m.query('SELECT secret_sealed FROM notify.subscriptions WHERE id = $1', [id]);
    return row?.secret_sealed;
  }

  /** The new secret signs from now; the current one moves aside and keeps signing until `previousExpiresAt`. */
  async rotateSecret(tx: EntityManager, id: string, newSealed: string, previousExpiresAt: Date): Promise<void> {
    // Both are sealed under the same subscription context, so the current sealed value moves as it is.
    await tx.query(
      `UPDATE notify.subscriptions SET secret_sealed = $2, previous_secret_sealed = secret_sealed, previous_secret_expires_at = $3 WHERE id = $1`,
      [id, newSealed, previousExpiresAt],
    );
  }

  /** Its deliveries and their attempts go with it (ON DELETE CASCADE): nothing more is sent to a deleted endpoint. */
  async delete(tx: EntityManager, id: string): Promise<void> {
    await tx.query('DELETE FROM notify.subscriptions WHERE id = $1', [id]);
  }

  async active(tx: EntityManager): Promise<ActiveSubscription[]> {
    return tx.query(
      `SELECT s.id AS subscription_id, s.types, o.id, o.kind, o.clearance
       FROM notify.subscriptions s JOIN notify.organisations o ON o.id = s.org_id
       WHERE s.state = 'active'`,
    );
  }
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

import { MigrationInterface, QueryRunner } from 'typeorm';

export class Subscriptions1764230000000 implements MigrationInterface {
  name = 'Subscriptions1764230000000';

  async up(q: QueryRunner): Promise<void> {
    // The notifier's own copy of the programme's organisations: audiences are tested against kind and clearance.
    await q.query(`
      CREATE TABLE notify.organisations (
        id         text PRIMARY KEY,
        kind       text NOT NULL CHECK (kind IN ('lab', 'agency', 'clearinghouse', 'operator')),
        clearance  text CHECK (clearance IN ('unclassified', 'cui', 'secret', 'top-secret')),
        joined_at  timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE notify.subscriptions (
        id                         uuid PRIMARY KEY,
        org_id                     text NOT NULL REFERENCES notify.organisations (id),
        url                        text NOT NULL,
        types                      jsonb NOT NULL,
        state                      text NOT NULL CHECK (state IN ('active', 'disabled')),
        secret_sealed              text NOT NULL,
        previous_secret_sealed     text,
        previous_secret_expires_at timestamptz,
        failing_since              timestamptz,
        disabled_reason            text CHECK (disabled_reason IN ('gone', 'failing')),
        disabled_at                timestamptz,
        created_at                 timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX subscriptions_org ON notify.subscriptions (org_id)');
    // Every event fanned out, so that a replay can deliver it again.
    await q.query(`
      CREATE TABLE notify.events (
        id        uuid PRIMARY KEY,
        type      text NOT NULL,
        time      timestamptz NOT NULL,
        audience  text NOT NULL,
        body      text NOT NULL
      )`);
    await q.query('CREATE INDEX events_time ON notify.events (time)');
    await q.query(`
      CREATE TABLE notify.deliveries (
        id               uuid PRIMARY KEY,
        subscription_id  uuid NOT NULL REFERENCES notify.subscriptions (id) ON DELETE CASCADE,
        event_id         uuid NOT NULL,
        event_type       text NOT NULL,
        body             text NOT NULL,
        replay           boolean NOT NULL,
        status           text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
        attempt_count    int NOT NULL DEFAULT 0,
        next_attempt_at  timestamptz,
        claimed_until    timestamptz,
        created_at       timestamptz NOT NULL,
        completed_at     timestamptz
      )`);
    // Fan-out creates one delivery per (subscription, event); replays add more on purpose.
    await q.query('CREATE UNIQUE INDEX deliveries_once ON notify.deliveries (subscription_id, event_id) WHERE NOT replay');
    await q.query(`CREATE INDEX deliveries_due ON notify.deliveries (subscription_id, next_attempt_at) WHERE status = 'pending'`);
    await q.query('CREATE INDEX deliveries_log ON notify.deliveries (subscription_id, created_at DESC)');
    await q.query(`
      CREATE TABLE notify.delivery_attempts (
        delivery_id  uuid NOT NULL REFERENCES notify.deliveries (id) ON DELETE CASCADE,
        attempt      int NOT NULL,
        at           timestamptz NOT NULL,
        status_code  int,
        latency_ms   int NOT NULL,
        error        text,
        PRIMARY KEY (delivery_id, attempt)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['delivery_attempts', 'deliveries', 'events', 'subscriptions', 'organisations']) await q.query(`DROP TABLE notify.${t}`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';
import { createTimersTable } from '@vantage/scheduling';

export class Cases1764220000000 implements MigrationInterface {
  name = 'Cases1764220000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE vuln.cases (
        id                uuid PRIMARY KEY,
        fingerprint       text NOT NULL,
        product_key       text NOT NULL,
        cwe               text,
        title             text NOT NULL,
        state             text NOT NULL,
        severity          jsonb NOT NULL,
        exploited_in_wild boolean NOT NULL,
        reported_at       timestamptz NOT NULL,
        deadline_at       timestamptz NOT NULL,
        disclosed_at      timestamptz,
        updated_at        timestamptz NOT NULL
      )`);
    // The deduplication lookups: an open case by fingerprint, and near-duplicates by package and weakness.
    await q.query(`CREATE INDEX cases_open_fingerprint ON vuln.cases (fingerprint) WHERE state NOT IN ('disclosed', 'rejected', 'duplicate')`);
    await q.query(`CREATE INDEX cases_open_product ON vuln.cases (product_key, cwe) WHERE state NOT IN ('disclosed', 'rejected', 'duplicate')`);
    await q.query(`
      CREATE TABLE vuln.findings (
        id                uuid PRIMARY KEY,
        case_id           uuid NOT NULL REFERENCES vuln.cases (id),
        reporter_org_id   text NOT NULL,
        title             text NOT NULL,
        description       text NOT NULL,
        affected          jsonb NOT NULL,
        cwe               text,
        cvss_vector       text NOT NULL,
        severity          jsonb NOT NULL,
        location          jsonb,
        proof_of_concept  text,
        discovered_with   jsonb,
        exploited_in_wild boolean NOT NULL,
        fingerprint       text NOT NULL,
        reported_at       timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX findings_case ON vuln.findings (case_id, reported_at)');
    await q.query(`CREATE TABLE vuln.case_related (case_id uuid NOT NULL, related_id uuid NOT NULL, PRIMARY KEY (case_id, related_id))`);
    await q.query(`
      CREATE TABLE vuln.case_history (
        id        bigserial PRIMARY KEY,
        case_id   uuid NOT NULL REFERENCES vuln.cases (id),
        from_state text,
        to_state  text NOT NULL,
        actor     text NOT NULL,
        note      text NOT NULL,
        at        timestamptz NOT NULL
      )`);
    await q.query(`CREATE TABLE vuln.case_access (case_id uuid NOT NULL, org_id text NOT NULL, reason text NOT NULL, PRIMARY KEY (case_id, org_id))`);
    await q.query(`
      CREATE TABLE vuln.vendors (
        id            uuid PRIMARY KEY,
        name          text NOT NULL,
        purl_prefixes jsonb NOT NULL,
        contact_url   text NOT NULL,
        org_id        text,
        created_at    timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE vuln.case_vendors (
        case_id   uuid NOT NULL REFERENCES vuln.cases (id),
        vendor_id uuid NOT NULL REFERENCES vuln.vendors (id),
        status    text NOT NULL CHECK (status IN ('affected', 'not-affected', 'fixed', 'unknown')),
        notified_at timestamptz,
        PRIMARY KEY (case_id, vendor_id)
      )`);
    await createTimersTable(q, 'vuln');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['timers', 'case_vendors', 'vendors', 'case_access', 'case_history', 'case_related', 'findings', 'cases']) {
      await q.query(`DROP TABLE vuln.${t}`);
    }
  }
}

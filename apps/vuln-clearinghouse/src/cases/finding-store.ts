// The only place with the SQL of findings. The proof of concept is sealed at rest, bound to the finding's id, and
// is never read back here.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { SecretBox } from '@vantage/crypto';
import { Finding, StoredFinding } from './finding';

@Injectable()
export class FindingStore {
  constructor(private readonly secrets: SecretBox) {}

  async insert(tx: EntityManager, f: Finding): Promise<void> {
    await tx.query(
      `INSERT INTO findings (id, case_id, reporter_org_id, title, description, affected, cwe, cvss_vector, severity, location, proof_of_concept,
         discovered_with, exploited_in_wild, fingerprint, reported_at)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9::jsonb, $10::jsonb, $11, $12::jsonb, $13, $14, $15)`,
      [
        f.id, f.caseId, f.reporterOrgId, f.title, f.description, JSON.stringify(f.affected), f.cwe, f.severity.vector,
        JSON.stringify(f.severity), f.location ? JSON.stringify(f.location) : null,
        f.proofOfConcept ? this.secrets.seal(f.proofOfConcept, f.id) : null,
        f.discoveredWith ? JSON.stringify(f.discoveredWith) : null, f.exploitedInWild, f.fingerprint, f.reportedAt,
      ],
    );
  }

  /** The case's findings, first reported first. */
  async ofCase(tx: EntityManager, caseId: string): Promise<StoredFinding[]> {
    const rows = await tx.query('SELECT * FROM findings WHERE case_id = $1 ORDER BY reported_at, id', [caseId]);
    return rows.map((r: any) => ({
      id: r.id, caseId: r.case_id, reporterOrgId: r.reporter_org_id, title: r.title, description: r.description, affected: r.affected, cwe: r.cwe,
      severity: r.severity, location: r.location, discoveredWith: r.discovered_with, exploitedInWild: r.exploited_in_wild, fingerprint: r.fingerprint,
      reportedAt: new Date(r.reported_at),
    }));
  }

  /** Moves every finding of `fromCaseId` into `toCaseId`; answers their ids, first reported first. */
  async moveAll(tx: EntityManager, fromCaseId: string, toCaseId: string): Promise<string[]> {
    // (Read first: TypeORM answers an UPDATE … RETURNING with [rows, count], not rows.)
    const moved: { id: string }[] = await tx.query('SELECT id FROM findings WHERE case_id = $1 ORDER BY reported_at, id', [fromCaseId]);
    await tx.query('UPDATE findings SET case_id = $1 WHERE case_id = $2', [toCaseId, fromCaseId]);
    return moved.map((f) => f.id);
  }

  async move(tx: EntityManager, findingIds: string[], toCaseId: string): Promise<void> {
    await tx.query('UPDATE findings SET case_id = $1 WHERE id = ANY($2::uuid[])', [toCaseId, findingIds]);
  }
}

// A finding as the clearinghouse keeps it: the report, its score and fingerprint, the case it is in.
import { AffectedProductDto, SeverityView } from '@vantage/contracts';

export interface Finding {
  id: string;
  caseId: string;
  reporterOrgId: string;
  title: string;
  description: string;
  affected: AffectedProductDto[];
  cwe: string | null;
  severity: SeverityView;
  location: { file?: string; function?: string; line?: number } | null;
  /** The proof of concept in clear; the store seals it at rest, bound to the finding's id. */
  proofOfConcept?: string;
  discoveredWith: { model?: string; submissionId?: string; tool?: string } | null;
  exploitedInWild: boolean;
  fingerprint: string;
  reportedAt: Date;
}

/** A finding read back: everything but the proof of concept, which no reader of a case is given. */
export type StoredFinding = Omit<Finding, 'proofOfConcept'>;

import { SuiteEvidenceView } from '@vantage/contracts';
import {
  decisionAsSeenBy, evidenceByClassification, mayReadDecision, mayReadRuns, mayReadSuite, RecordedDecision, RESTRICTED_SUITE_LINE, unclassifiedPart,
} from './decision-visibility';

const hash = (c: string) => c.repeat(64);
const openSuite: SuiteEvidenceView = {
  suiteId: '00000000-0000-4000-8000-000000000001', name: 'open', version: '1', contentHash: hash('a'), classification: 'unclassified',
  basis: 'suite open@1: 95% lower bound 0.8000 >= threshold 0.5',
};
const secretSuite: SuiteEvidenceView = {
  suiteId: '00000000-0000-4000-8000-000000000002', name: 'secret', version: '1', contentHash: hash('b'), classification: 'secret',
  basis: 'suite secret@1: 95% lower bound 0.9000 >= threshold 0.7',
};
const quietSecret: SuiteEvidenceView = {
  suiteId: '00000000-0000-4000-8000-000000000003', name: 'quiet', version: '1', contentHash: hash('c'), classification: 'secret',
};
const compute = 'compute: declared 3.10e+26 FLOP >= 1.00e+26';

function decision(over: Partial<RecordedDecision> = {}): RecordedDecision {
  return {
    submissionId: '00000000-0000-4000-8000-00000000000f', frontier: true, policyVersion: 'p', decidedAt: new Date('2026-11-26T00:00:00Z'),
    basis: [compute, openSuite.basis!, secretSuite.basis!], computeBasis: [compute], suites: [openSuite, secretSuite, quietSecret],
    compute: { declaredTrainingFlop: 3.1e26, frontierAtFlop: 1e26 },
    ...over,
  };
}

describe('who sees what of a frontier decision', () => {
  it('shows operators every suite and line, an agency those its clearance covers, and a lab none', () => {
    const d = decision();
    const operator = decisionAsSeenBy(d, (c) => mayReadSuite({ kind: 'operator' }, c));
    expect(operator.basis).toEqual(d.basis);
    expect(operator.suites).toEqual(d.suites);
    const low = decisionAsSeenBy(d, (c) => mayReadSuite({ kind: 'agency', clearance: 'unclassified' }, c));
    expect(low.basis).toEqual([compute, openSuite.basis]);
    expect(low.suites).toEqual([openSuite]);
    const lab = decisionAsSeenBy(d, (c) => mayReadSuite({ kind: 'lab' }, c));
    expect(lab).toEqual({ frontier: true, policyVersion: 'p', basis: [compute], suites: [], compute: d.compute, decidedAt: '2026-11-26T00:00:00.000Z' });
    expect(mayReadSuite({ kind: 'agency' }, 'unclassified')).toBe(false);
  });

  it('says a hidden suite made the model frontier when nothing the reader may see explains it', () => {
    const d = decision({ basis: [secretSuite.basis!], computeBasis: [], compute: { frontierAtFlop: 1e26 } });
    expect(unclassifiedPart(d).basis).toEqual([RESTRICTED_SUITE_LINE]);
    expect(decisionAsSeenBy(d, (c) => c === 'secret').basis).toEqual([secretSuite.basis]);
    expect(unclassifiedPart(decision({ frontier: false, basis: [], computeBasis: [] })).basis).toEqual([]);
  });

  it('keeps back a line it cannot attribute to the compute figure or to a suite the reader may see', () => {
    const d = decision({ basis: [compute, 'suite lost@1: 95% lower bound 0.9 >= threshold 0.1'] });
    expect(decisionAsSeenBy(d, () => true).basis).toEqual([compute]);
  });

  it('groups the suites by classification, lowest first, leaving out levels without any', () => {
    expect(evidenceByClassification(decision())).toEqual([
      { classification: 'unclassified', suites: [openSuite] },
      { classification: 'secret', suites: [secretSuite, quietSecret] },
    ]);
  });

  it('lets operators and granted agencies read runs, hides them from an agency without a grant, forbids the rest', () => {
    expect(mayReadRuns({ kind: 'operator' }, false)).toBe('yes');
    expect(mayReadRuns({ kind: 'agency' }, true)).toBe('yes');
    expect(mayReadRuns({ kind: 'agency' }, false)).toBe('not found');
    expect(mayReadRuns({ kind: 'lab' }, true)).toBe('forbidden');
    expect(mayReadRuns({ kind: 'clearinghouse' }, true)).toBe('forbidden');
  });

  it('lets operators, the owning lab and granted agencies read the decision', () => {
    expect(mayReadDecision({ kind: 'operator', orgId: 'op' }, { granted: false })).toBe(true);
    expect(mayReadDecision({ kind: 'lab', orgId: 'lab' }, { labId: 'lab', granted: false })).toBe(true);
    expect(mayReadDecision({ kind: 'lab', orgId: 'other' }, { labId: 'lab', granted: true })).toBe(false);
    expect(mayReadDecision({ kind: 'lab', orgId: 'lab' }, { granted: false })).toBe(false);
    expect(mayReadDecision({ kind: 'agency', orgId: 'ag' }, { labId: 'lab', granted: true })).toBe(true);
    expect(mayReadDecision({ kind: 'agency', orgId: 'ag' }, { labId: 'lab', granted: false })).toBe(false);
    expect(mayReadDecision({ kind: 'clearinghouse', orgId: 'ch' }, { labId: 'lab', granted: true })).toBe(false);
  });
});

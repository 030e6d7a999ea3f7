// The gateway's documented views of other services' answers against the contract interfaces they mirror. Each
// `shape<Interface>()` record below is checked by the compiler against the interface (every key, each required or
// optional as the interface has it); this test checks each view class's documented properties against the record.
// A field added to, dropped from or made optional in a contract fails the build or this test until the view follows.
import {
  CanaryCheckV1, CaseView, ClassificationView, ComputeBasisV1, CreatedSubscription, DeliveryAttemptView, DeliveryView, GrantView, RotatedSecret, RunView,
  SeverityView, SubmittedFinding, SubscriptionView, SuiteEvidenceView, SuiteView, VendorView, WindowView,
} from '@vantage/contracts';
import {
  CaseFindingDoc, CaseHistoryEntryDoc, CaseVendorDoc, CaseViewDoc, FindingSeverityDoc, SeverityDoc, SubmittedFindingDoc, VendorViewDoc,
} from '../cases/dto/case.views';
import {
  CanaryCheckDoc, ClassificationViewDoc, ComputeBasisDoc, RunSuiteDoc, RunViewDoc, SuiteEvidenceDoc, SuiteViewDoc,
} from '../suites/dto/bench.views';
import {
  CreatedSubscriptionDoc, DeliveryAttemptDoc, DeliveryViewDoc, RotatedSecretDoc, SubscriptionViewDoc,
} from '../subscriptions/dto/subscription.views';
import { GrantViewDoc, WindowViewDoc } from '../windows/dto/window.views';
import { shape } from './contract-mirror';

// Where @ApiProperty keeps what it says (@nestjs/swagger's DECORATORS, which its package does not export).
const PROPERTY_NAMES = 'swagger/apiModelPropertiesArray';
const PROPERTY = 'swagger/apiModelProperties';

type Documented = Record<string, 'required' | 'optional'>;

/** The properties a class documents, each required or optional as the document will say. */
function documented(cls: new () => object): Documented {
  const keys: string[] = Reflect.getMetadata(PROPERTY_NAMES, cls.prototype) ?? [];
  return Object.fromEntries(
    keys.map((k) => k.replace(/^:/, '')).map((k) => {
      const meta = Reflect.getMetadata(PROPERTY, cls.prototype, k) ?? {};
      return [k, meta.required === false ? 'optional' : 'required'];
    }),
  );
}

const sorted = (o: object) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));

const MIRRORS: [string, new () => object, Documented][] = [
  ['WindowView', WindowViewDoc, shape<WindowView>()({ submissionId: 'required', state: 'required', opensAt: 'required', closesAt: 'required', closedReason: 'optional', closedAt: 'optional', grants: 'required' })],
  ['GrantView', GrantViewDoc, shape<GrantView>()({ agencyId: 'required', state: 'required' })],
  ['SubmittedFinding', SubmittedFindingDoc, shape<SubmittedFinding>()({ findingId: 'required', caseId: 'required', duplicate: 'required', severity: 'required' })],
  ['SubmittedFinding.severity', FindingSeverityDoc, shape<SubmittedFinding['severity']>()({ version: 'required', baseScore: 'required', baseSeverity: 'required' })],
  [
    'CaseView', CaseViewDoc,
    shape<CaseView>()({
      id: 'required', title: 'required', state: 'required', severity: 'required', cwe: 'optional', exploitedInWild: 'required', reportedAt: 'required',
      deadlineAt: 'required', disclosedAt: 'optional', findings: 'required', vendors: 'required', relatedCaseIds: 'required', history: 'required',
    }),
  ],
  ['SeverityView', SeverityDoc, shape<SeverityView>()({ version: 'required', vector: 'required', baseScore: 'required', baseSeverity: 'required', nomenclature: 'optional' })],
  ['CaseView.findings', CaseFindingDoc, shape<CaseView['findings'][number]>()({ id: 'required', reporterOrgId: 'required', reportedAt: 'required', discoveredWith: 'optional' })],
  ['CaseView.vendors', CaseVendorDoc, shape<CaseView['vendors'][number]>()({ id: 'required', name: 'required', status: 'required' })],
  ['CaseView.history', CaseHistoryEntryDoc, shape<CaseView['history'][number]>()({ from: 'required', to: 'required', by: 'required', at: 'required', note: 'required' })],
  ['VendorView', VendorViewDoc, shape<VendorView>()({ id: 'required', name: 'required', purlPrefixes: 'required', contactUrl: 'required', orgId: 'optional' })],
  [
    'SuiteView', SuiteViewDoc,
    shape<SuiteView>()({
      id: 'required', name: 'required', version: 'required', classification: 'required', scorer: 'required', threshold: 'optional', epochs: 'required',
      itemCount: 'required', contentHash: 'required', active: 'required', createdAt: 'required',
    }),
  ],
  [
    'RunView', RunViewDoc,
    shape<RunView>()({
      runId: 'required', submissionId: 'required', suite: 'required', state: 'required', total: 'required', correct: 'required', wrong: 'required',
      errored: 'required', interrupted: 'required', accuracy: 'optional', lower: 'optional', upper: 'optional', interval: 'optional', canary: 'optional',
      startedAt: 'required', finishedAt: 'optional', abortReason: 'optional',
    }),
  ],
  [
    'RunView.suite', RunSuiteDoc,
    shape<RunView['suite']>()({ suiteId: 'required', name: 'required', version: 'required', contentHash: 'required', classification: 'required', threshold: 'optional', epochs: 'required' }),
  ],
  ['CanaryCheckV1', CanaryCheckDoc, shape<CanaryCheckV1>()({ known: 'optional', matched: 'optional', errored: 'required' })],
  [
    'ClassificationView', ClassificationViewDoc,
    shape<ClassificationView>()({ submissionId: 'required', frontier: 'required', basis: 'required', policyVersion: 'required', suites: 'required', compute: 'optional', decidedAt: 'required' }),
  ],
  [
    'SuiteEvidenceView', SuiteEvidenceDoc,
    shape<SuiteEvidenceView>()({ suiteId: 'required', name: 'required', version: 'required', contentHash: 'required', classification: 'required', basis: 'optional' }),
  ],
  ['ComputeBasisV1', ComputeBasisDoc, shape<ComputeBasisV1>()({ declaredTrainingFlop: 'optional', frontierAtFlop: 'required' })],
  [
    'SubscriptionView', SubscriptionViewDoc,
    shape<SubscriptionView>()({ id: 'required', url: 'required', types: 'required', state: 'required', disabledReason: 'optional', disabledAt: 'optional', createdAt: 'required' }),
  ],
  ['CreatedSubscription', CreatedSubscriptionDoc, shape<CreatedSubscription>()({ id: 'required', url: 'required', types: 'required', secret: 'required', createdAt: 'required' })],
  ['RotatedSecret', RotatedSecretDoc, shape<RotatedSecret>()({ id: 'required', secret: 'required', previousSecretExpiresAt: 'required' })],
  [
    'DeliveryView', DeliveryViewDoc,
    shape<DeliveryView>()({
      id: 'required', eventId: 'required', eventType: 'required', status: 'required', replay: 'required', createdAt: 'required', nextAttemptAt: 'optional',
      completedAt: 'optional', attempts: 'required',
    }),
  ],
  ['DeliveryAttemptView', DeliveryAttemptDoc, shape<DeliveryAttemptView>()({ attempt: 'required', at: 'required', statusCode: 'optional', latencyMs: 'required', error: 'optional' })],
];

describe('the gateway documents the answers of other services as their contracts define them', () => {
  it.each(MIRRORS)('%s: every field of the contract, each required or optional as the contract has it, and no other', (_name, cls, contract) => {
    expect(sorted(documented(cls))).toEqual(sorted(contract));
  });
});

// Every event and request-reply subject Vantage defines: the source for consumers, docs and checks.
import { EventDefinition } from './event-definition';
import { RpcDefinition } from './rpc-definition';
import {
  OrganisationCreated, SubmissionCredentialRotated, SubmissionReceived, SubmissionReleased, SubmissionRescheduled, SubmissionWithdrawn,
} from './events/intake.events';
import {
  GrantIssued, GrantRevoked, WindowCancelled, WindowClosed, WindowClosingSoon, WindowOpened, WindowRescheduled, WindowScheduled,
} from './events/window.events';
import {
  CaseDeadlineApproaching, CaseDeadlineReached, CaseDisclosed, CaseDuplicateFound, CaseOpened, CaseStateChanged, CaseVendorNotified,
  CaseMerged, CaseSplit, CaseVendorStatusChanged,
} from './events/vuln.events';
import { EndpointDisabled } from './events/notify.events';
import {
  BenchModelClassified, BenchModelEvidenceRecorded, BenchRunAborted, BenchRunCompleted, BenchRunProgress, BenchRunStarted,
} from './events/bench.events';
import {
  AppendSuiteItems, DiscardSuiteUpload, GetClassification, ListRuns, ListSuites, SealSuiteUpload, StartSuiteUpload,
} from './rpc/bench.rpc';
import { GetSubmissionEndpoint, GetSubmissionFacts } from './rpc/intake.rpc';
import {
  CreateSubscription, DeleteSubscription, ListDeliveries, ListSubscriptions, ReplayDeliveries, RotateSubscriptionSecret,
} from './rpc/notify.rpc';
import { GetWindow, ListWindows } from './rpc/window.rpc';
import { ReadEventStream } from './rpc/event-stream.rpc';
import {
  CreateVendor, ExtendEmbargo, GetAdvisory, GetCase, GrantCaseAccess, ListCases, SubmitFinding, TransitionCase,
  MergeCases, SplitCase, SetVendorStatus,
} from './rpc/vuln.rpc';

export const EVENT_CATALOGUE: readonly EventDefinition<any>[] = [
  SubmissionReceived,
  SubmissionRescheduled,
  SubmissionCredentialRotated,
  SubmissionWithdrawn,
  SubmissionReleased,
  OrganisationCreated,
  WindowScheduled,
  WindowRescheduled,
  WindowOpened,
  WindowClosingSoon,
  WindowClosed,
  WindowCancelled,
  GrantIssued,
  GrantRevoked,
  CaseOpened,
  CaseDuplicateFound,
  CaseStateChanged,
  CaseVendorNotified,
  CaseDeadlineApproaching,
  CaseDeadlineReached,
  CaseDisclosed,
  CaseMerged,
  CaseSplit,
  CaseVendorStatusChanged,
  EndpointDisabled,
  BenchRunStarted,
  BenchRunProgress,
  BenchRunCompleted,
  BenchRunAborted,
  BenchModelClassified,
  BenchModelEvidenceRecorded,
];

export const RPC_CATALOGUE: readonly RpcDefinition<any, any>[] = [
  GetSubmissionEndpoint, GetSubmissionFacts, GetWindow, ListWindows,
  SubmitFinding, GetCase, ListCases, TransitionCase, ExtendEmbargo, GrantCaseAccess, CreateVendor, GetAdvisory,
  MergeCases, SplitCase, SetVendorStatus,
  CreateSubscription, ListSubscriptions, DeleteSubscription, RotateSubscriptionSecret, ListDeliveries, ReplayDeliveries,
  ReadEventStream,
  StartSuiteUpload, AppendSuiteItems, SealSuiteUpload, DiscardSuiteUpload, ListSuites, ListRuns, GetClassification,
];

export function findEventDefinition(type: string): EventDefinition<any> | undefined {
  return EVENT_CATALOGUE.find((d) => d.type === type);
}

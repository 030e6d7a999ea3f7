// Who is calling: the organisation behind an API key.
import { CallerIdentity, Clearance, OrgKind } from '@vantage/contracts';

export interface Principal extends CallerIdentity {
  kind: OrgKind;
  clearance?: Clearance;
  keyId: string;
}

/** Looks up a presented API key. Implemented by the service that owns organisations and keys (intake). */
export abstract class ApiKeyVerifier {
  /** The principal for a valid, unrevoked key; undefined otherwise. Must not log or echo the key. */
  abstract verify(presentedKey: string): Promise<Principal | undefined>;
}

export const PRINCIPAL_REQUEST_KEY = 'vantagePrincipal';

// Who is calling: the organisation behind an API key.
import { CallerIdentity, Clearance, OrgKind } from '@vantage/contracts';

export interface Principal extends CallerIdentity {
  kind: OrgKind;
  clearance?: Clearance;
  keyId: string;
}

/** Looks up a presented API key. Implemented by the service that owns organisations and keys (intake). */
export abstract class ApiKeyVerifier {
  /**
   * The principal for a valid, unrevoked key; undefined otherwise. Must not log or echo the key. `beforeLookUp` is
   * called when the answer is not known without a lookup (a query), and may refuse by throwing.
   */
  abstract verify(presentedKey: string, beforeLookUp?: () => void): Promise<Principal | undefined>;
}

/**
 * Optional: bounds how often one client address may fail to authenticate (intake provides it), so that requests with
 * no key or a bogus one, which are not counted against any key's rate limit, cannot flood the key lookup.
 */
export abstract class FailedAuthLimit {
  /** Throws (429) while `client` is over its limit; called before a presented key costs a lookup. */
  abstract admit(client: string): void;
  /** Counts a failed authentication of `client`; throws (429) while it is over its limit, or once this takes it over. */
  abstract failed(client: string): void;
}

export const PRINCIPAL_REQUEST_KEY = 'vantagePrincipal';

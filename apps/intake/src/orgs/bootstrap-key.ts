// The bootstrap operator key's rules, pure (see bootstrap-operator.ts for the rule applied at each start).
import { apiKeyId, hashApiKey } from '@vantage/crypto';

export const BOOTSTRAP_OPERATOR_ORG_ID = '00000000-0000-7000-8000-000000000001';

/** Every bootstrap key's stored id starts with this. */
export const BOOTSTRAP_KEY_PREFIX = 'bootstrap-';

/** The stored id of a bootstrap key: its own id and a piece of its hash, so that each value has its own row. */
export function bootstrapKeyId(key: string): string {
  return `${BOOTSTRAP_KEY_PREFIX}${apiKeyId(key)}-${hashApiKey(key).slice(0, 12)}`;
}

export function assertBootstrapKeyFormat(key: string | undefined): void {
  if (key && !apiKeyId(key)) {
    throw new Error('VANTAGE_BOOTSTRAP_OPERATOR_KEY is not a Vantage key (vnt_<id>_<secret>); make one with `npm run admin -- new-key`');
  }
}

/**
 * The configured key, as stored: known (revoked or not) it is left as it is; new, it is to be inserted. A key
 * issued to an organisation cannot be the bootstrap key.
 */
export function configuredKey(key: string, known: { id: string; orgId: string; revoked: boolean } | undefined): { id: string; revoked: boolean; isNew: boolean } {
  if (known && known.orgId !== BOOTSTRAP_OPERATOR_ORG_ID) {
    throw new Error('VANTAGE_BOOTSTRAP_OPERATOR_KEY is a key issued to an organisation; make a bootstrap key with `npm run admin -- new-key`');
  }
  return known ? { id: known.id, revoked: known.revoked, isNew: false } : { id: bootstrapKeyId(key), revoked: false, isNew: true };
}

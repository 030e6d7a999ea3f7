// Secrets at rest (endpoint credentials, classified benchmark items, proofs of concept): AES-256-GCM under a
// key from configuration. The sealed form names its key, so keys can be rotated: new writes use the current
// key, old rows stay readable while their key is still configured.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
/** GCM's full tag. Node verifies a shorter tag if given one (down to 4 bytes), which makes a forgery that much easier. */
const TAG_BYTES = 16;
const IV_BYTES = 12;

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

export interface SecretBoxKeys {
  /** Key id → 32-byte key. */
  keys: Map<string, Buffer>;
  /** The key new secrets are sealed with. */
  currentKeyId: string;
}

/**
 * Parses `VANTAGE_ENCRYPTION_KEYS`: comma-separated `id:base64key` entries, the first one current,
 * e.g. `k2:…,k1:…` during a rotation from k1 to k2.
 */
export function parseSecretBoxKeys(setting: string): SecretBoxKeys {
  const keys = new Map<string, Buffer>();
  let currentKeyId = '';
  for (const entry of setting.split(',').map((s) => s.trim()).filter(Boolean)) {
    const sep = entry.indexOf(':');
    const id = entry.slice(0, sep);
    if (sep <= 0 || !/^[A-Za-z0-9_-]{1,32}$/.test(id)) throw new SecretBoxError('each encryption key needs an id: "<id>:<base64 key>"');
    const key = Buffer.from(entry.slice(sep + 1), 'base64');
    if (key.length !== 32) throw new SecretBoxError(`encryption key ${id} must be 32 bytes, base64-encoded`);
    keys.set(id, key);
    currentKeyId ||= id;
  }
  if (!currentKeyId) throw new SecretBoxError('no encryption key is configured');
  return { keys, currentKeyId };
}

export class SecretBox {
  constructor(private readonly config: SecretBoxKeys) {}

  static fromSetting(setting: string): SecretBox {
    return new SecretBox(parseSecretBoxKeys(setting));
  }

  /** Seals text. `context` (e.g. the row id) is bound in as associated data: a sealed value moved to another row fails to open. */
  seal(plaintext: string, context = ''): string {
    const keyId = this.config.currentKeyId;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.config.keys.get(keyId)!, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, keyId, iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join('.');
  }

  open(sealed: string, context = ''): string {
    const [version, keyId, iv, tag, body] = sealed.split('.');
    if (version !== VERSION || !body) throw new SecretBoxError('sealed value is not in a known form');
    const key = this.config.keys.get(keyId);
    if (!key) throw new SecretBoxError(`sealed with key ${keyId}, which is not configured`);
    const ivBytes = Buffer.from(iv, 'base64');
    const tagBytes = Buffer.from(tag, 'base64');
    // Exactly the lengths seal() writes: a truncated tag is refused, not checked as far as it goes.
    if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) throw new SecretBoxError('sealed value is not in a known form');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, ivBytes, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(tagBytes);
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      // Never echo the value or the key: only that it could not be opened.
      throw new SecretBoxError('sealed value could not be opened (wrong key, wrong context or tampered)');
    }
  }

  /** Whether a sealed value uses an older key and should be re-sealed. */
  needsResealing(sealed: string): boolean {
    return sealed.split('.')[1] !== this.config.currentKeyId;
  }
}

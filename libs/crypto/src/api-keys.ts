// API keys: long random strings with a recognisable prefix, shown once, stored only as a hash.
// They carry 256 bits of randomness, so a fast hash (SHA-256) is safe to store; a slow password hash would
// only slow every request. The key id is part of the key so a leaked key can be named without the secret.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const API_KEY_PREFIX = 'vnt';

export interface IssuedApiKey {
  id: string;
  /** The whole key: give it to the caller once, never store it. */
  key: string;
  hash: string;
}

export function issueApiKey(id = randomBytes(8).toString('hex')): IssuedApiKey {
  const secret = randomBytes(32).toString('base64url');
  const key = `${API_KEY_PREFIX}_${id}_${secret}`;
  return { id, key, hash: hashApiKey(key) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The key id from a presented key, or undefined when it is not of our form. */
export function apiKeyId(key: string): string | undefined {
  const m = /^vnt_([a-z0-9-]{1,64})_[A-Za-z0-9_-]{20,}$/.exec(key);
  return m?.[1];
}

export function hashesEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

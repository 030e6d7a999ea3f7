// Local state of `npm start` under .vantage/ (git-ignored): embedded Postgres data, generated secrets.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { apiKeyId, issueApiKey, parseSecretBoxKeys } from '@vantage/crypto';

export const ROOT = resolve(__dirname, '..', '..', '..', '..');
export const STATE_DIR = join(ROOT, '.vantage');

export function statePath(...parts: string[]): string {
  return join(STATE_DIR, ...parts);
}

export function ensureStateDir(): void {
  mkdirSync(STATE_DIR, { recursive: true });
}

export function newSecret(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * Reads a secret kept in .vantage/<name>, creating it the first time; the same value is reused afterwards.
 * A kept value that `valid` rejects (a format that has since changed) is replaced.
 */
export function readOrCreateSecret(
  name: string,
  make: () => string = () => newSecret(),
  valid: (value: string) => boolean = () => true,
): { value: string; created: boolean } {
  const file = statePath(name);
  if (existsSync(file)) {
    const value = readFileSync(file, 'utf8').trim();
    if (value && valid(value)) return { value, created: false };
  }
  ensureStateDir();
  const value = make();
  writeFileSync(file, `${value}\n`, { mode: 0o600 });
  return { value, created: true };
}

/** Reads a secret kept in .vantage/<name> if there is one. */
export function readSecret(name: string): string | undefined {
  const file = statePath(name);
  if (!existsSync(file)) return undefined;
  return readFileSync(file, 'utf8').trim() || undefined;
}

/** A JSON file kept in .vantage/<name>, if there is one and it parses. */
export function readStateJson<T = unknown>(name: string): T | undefined {
  const file = statePath(name);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Writes .vantage/<name> as JSON, readable by its owner only (it may hold API keys). */
export function writeStateJson(name: string, value: unknown): void {
  ensureStateDir();
  const file = statePath(name);
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

/** A JSON map of secrets in .vantage/<name>: missing keys are generated and saved, existing ones kept. */
export function readOrCreateSecretMap(name: string, keys: readonly string[], make: () => string = () => newSecret()): Record<string, string> {
  const file = statePath(name);
  let map: Record<string, string> = {};
  if (existsSync(file)) map = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  const missing = keys.filter((k) => !map[k]);
  if (missing.length > 0) {
    for (const k of missing) map[k] = make();
    ensureStateDir();
    writeFileSync(file, `${JSON.stringify(map, null, 2)}\n`, { mode: 0o600 });
  }
  return Object.fromEntries(keys.map((k) => [k, map[k]]));
}

/** An AES-256 key entry for VANTAGE_ENCRYPTION_KEYS: `<id>:<base64 of 32 random bytes>`. */
export function newEncryptionKeyEntry(id = 'local'): string {
  return `${id}:${randomBytes(32).toString('base64')}`;
}

export interface LocalSetting {
  value: string;
  fromEnv: boolean;
  /** Where the value came from, for printing. */
  source: string;
}

/** An environment variable if set, else a value generated into .vantage/<file> the first time and reused after. */
export function settingOrLocalSecret(variable: string, file: string, make: () => string, valid?: (value: string) => boolean): LocalSetting {
  const fromEnv = process.env[variable];
  if (fromEnv) return { value: fromEnv, fromEnv: true, source: `from ${variable}` };
  const { value, created } = readOrCreateSecret(file, make, valid);
  return { value, fromEnv: false, source: `${created ? 'generated into' : 'kept in'} ${statePath(file)}` };
}

/** The keys services seal secrets at rest with: VANTAGE_ENCRYPTION_KEYS, else one local key in .vantage/encryption-keys. */
export function encryptionKeys(): LocalSetting {
  return settingOrLocalSecret('VANTAGE_ENCRYPTION_KEYS', 'encryption-keys', () => newEncryptionKeyEntry(), (value) => {
    try {
      parseSecretBoxKeys(value);
      return true;
    } catch {
      return false;
    }
  });
}

/** The gateway's first operator key: VANTAGE_BOOTSTRAP_OPERATOR_KEY, else an API key (vnt_<id>_<secret>) in .vantage/operator-key. */
export function operatorKey(): LocalSetting {
  return settingOrLocalSecret('VANTAGE_BOOTSTRAP_OPERATOR_KEY', 'operator-key', () => issueApiKey('operator').key, (value) => apiKeyId(value) !== undefined);
}

/** The demo lab model's API key (what the demo lab registers with Vantage): generated once into .vantage/lab-simulator-key. */
export function labSimulatorKey(): LocalSetting {
  const file = 'lab-simulator-key';
  const { value, created } = readOrCreateSecret(file, () => `sk-lab-sim-${newSecret()}`, (v) => v.length >= 8);
  return { value, fromEnv: false, source: `${created ? 'generated into' : 'kept in'} ${statePath(file)}` };
}

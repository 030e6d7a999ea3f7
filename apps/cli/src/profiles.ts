// Profiles: which gateway, and which organisation's API key, a command speaks as. Kept in
// $VANTAGE_CONFIG_DIR (else $XDG_CONFIG_HOME/vantage, else ~/.config/vantage)/profiles.json, readable by its owner
// only. A key never goes on the command line (where shell history and `ps` would keep it): `vantage login` reads it
// from standard input or a hidden prompt, and VANTAGE_API_KEY (with VANTAGE_URL) overrides the profile for one run.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface Profile {
  url: string;
  apiKey: string;
}

interface Store {
  current?: string;
  profiles: Record<string, Profile>;
}

export class UsageError extends Error {}

export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.VANTAGE_CONFIG_DIR) return env.VANTAGE_CONFIG_DIR;
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'vantage');
}

function storeFile(env: NodeJS.ProcessEnv): string {
  return join(configDir(env), 'profiles.json');
}

export function readStore(env: NodeJS.ProcessEnv = process.env): Store {
  const file = storeFile(env);
  if (!existsSync(file)) return { profiles: {} };
  return JSON.parse(readFileSync(file, 'utf8')) as Store;
}

export function writeStore(store: Store, env: NodeJS.ProcessEnv = process.env): void {
  const dir = configDir(env);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = storeFile(env);
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(store, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

export function saveProfile(name: string, profile: Profile, env: NodeJS.ProcessEnv = process.env): void {
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(name)) throw new UsageError('--profile must be 1-40 letters, digits, _ or -');
  const store = readStore(env);
  store.profiles[name] = profile;
  store.current ??= name;
  writeStore(store, env);
}

/** The profile a command uses: VANTAGE_API_KEY/VANTAGE_URL, else --profile, else the current one. */
export function resolveProfile(name: string | undefined, urlOverride: string | undefined, env: NodeJS.ProcessEnv = process.env): Profile {
  if (env.VANTAGE_API_KEY) {
    const url = urlOverride ?? env.VANTAGE_URL;
    if (!url) throw new UsageError('VANTAGE_API_KEY is set: set VANTAGE_URL (or --url) too');
    return { url, apiKey: env.VANTAGE_API_KEY };
  }
  const store = readStore(env);
  const chosen = name ?? store.current;
  const profile = chosen ? store.profiles[chosen] : undefined;
  if (!profile) {
    throw new UsageError(chosen ? `no profile "${chosen}": vantage login --profile ${chosen} --url <gateway>` : 'no profile yet: vantage login --url <gateway> (the key is read from standard input)');
  }
  return { ...profile, url: urlOverride ?? profile.url };
}

// Reading the YAML (or JSON) files commands take: a submission's manifest, a finding, a suite. Secrets are never
// written in them: a lab's model key comes from an environment variable or a file the manifest names, a proof of
// concept from a file, so the manifest itself can be kept in a repository.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import { UsageError } from './profiles';

export function readDocument(file: string): Record<string, any> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    throw new UsageError(`${file} is not YAML or JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new UsageError(`${file} must hold one mapping (key: value), not ${Array.isArray(doc) ? 'a list' : typeof doc}`);
  return doc as Record<string, any>;
}

/** A secret named by a manifest: `<field>Env` (an environment variable) or `<field>File` (a file beside it). */
export function secretFrom(doc: Record<string, any>, field: string, path: string, file: string, env: NodeJS.ProcessEnv): string | undefined {
  if (doc[field] !== undefined) {
    throw new UsageError(`${path}.${field}: do not write the secret in the file; name it with ${field}Env (an environment variable) or ${field}File`);
  }
  const fromEnv = doc[`${field}Env`];
  const fromFile = doc[`${field}File`];
  if (fromEnv !== undefined && fromFile !== undefined) throw new UsageError(`${path}: give ${field}Env or ${field}File, not both`);
  if (fromEnv !== undefined) {
    const value = env[String(fromEnv)];
    if (!value) throw new UsageError(`${path}.${field}Env: the environment variable ${fromEnv} is not set`);
    return value;
  }
  if (fromFile !== undefined) {
    try {
      return readFileSync(resolve(dirname(file), String(fromFile)), 'utf8').trim();
    } catch (e) {
      throw new UsageError(`${path}.${field}File: cannot read ${fromFile} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  }
  return undefined;
}

/** A submission manifest as the API's body: the endpoint's key from apiKeyEnv or apiKeyFile. */
export function submissionFromManifest(file: string, env: NodeJS.ProcessEnv): Record<string, unknown> {
  const doc = readDocument(file);
  const endpoint = doc.endpoint;
  if (!endpoint || typeof endpoint !== 'object') throw new UsageError(`${file}: endpoint is required (baseUrl, modelId, apiKeyEnv or apiKeyFile)`);
  const apiKey = secretFrom(endpoint, 'apiKey', 'endpoint', file, env);
  if (!apiKey) throw new UsageError(`${file}: endpoint.apiKeyEnv or endpoint.apiKeyFile is required`);
  const { apiKeyEnv: _e, apiKeyFile: _f, ...rest } = endpoint;
  return { ...doc, endpoint: { ...rest, apiKey } };
}

/** A finding file as the API's body: the proof of concept from proofOfConceptFile when given. */
export function findingFromFile(file: string, env: NodeJS.ProcessEnv): Record<string, unknown> {
  const doc = readDocument(file);
  const poc = secretFrom(doc, 'proofOfConcept', 'finding', file, env);
  const { proofOfConceptEnv: _e, proofOfConceptFile: _f, ...rest } = doc;
  return { ...rest, ...(poc !== undefined ? { proofOfConcept: poc } : {}) };
}

// The official schemas and test vectors in libs/testing/reference (see its README), inside the repository so a
// fresh clone needs nothing beside it.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const REFERENCE_DIR = resolve(__dirname, '..', 'reference');

export function referenceFile(...parts: string[]): string {
  return resolve(REFERENCE_DIR, ...parts);
}

export function readReferenceJson<T = any>(...parts: string[]): T {
  return JSON.parse(readFileSync(referenceFile(...parts), 'utf8'));
}

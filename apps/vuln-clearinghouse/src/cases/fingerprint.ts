// Deduplication's key: same package, weakness and place in the code, the same vulnerability.
import { createHash } from 'node:crypto';

/** Same package, weakness and place in the code: the same vulnerability. */
export function fingerprintOf(productKey: string, cwe: string | undefined, location: { file?: string; function?: string } | undefined): string {
  const parts = [productKey, cwe ?? '', (location?.file ?? '').trim().replace(/^\.?\//, ''), (location?.function ?? '').trim()];
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}

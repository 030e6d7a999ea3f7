// A suite's content hash: SHA-256 of its items in a canonical form (fixed order of fields), computed item by
// item so that an upload streamed in chunks hashes exactly as the same items sent at once. The decision names
// it, so that anyone can say which items were asked without seeing them.
import { createHash, Hash } from 'node:crypto';

export interface HashableSuiteItem {
  id: string;
  input: string;
  target: string;
  choices?: string[];
}

export class SuiteContentHasher {
  private readonly hash: Hash = createHash('sha256').update('[');
  private count = 0;

  add(item: HashableSuiteItem): void {
    this.hash.update((this.count++ ? ',' : '') + JSON.stringify([item.id, item.input, item.target, item.choices ?? null]));
  }

  get itemCount(): number {
    return this.count;
  }

  /** Hex digest: the same as SHA-256 of `JSON.stringify(items.map((i) => [i.id, i.input, i.target, i.choices ?? null]))`. */
  digest(): string {
    return this.hash.update(']').digest('hex');
  }
}

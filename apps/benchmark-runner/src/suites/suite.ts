// A benchmark suite and its upload, as rules: who may add one, which chunk an upload takes, whether the items can
// be scored, and whether a sealed upload holds what the uploader sent. Pure: the suite store brings the rows.
import {
  AppendSuiteItemsRequest, CallerIdentity, Clearance, ConflictError, ForbiddenError, MAX_SUITE_ITEMS, RuleViolationError, ScorerKind,
  SealSuiteUploadRequest, SuiteContentHasher, SuiteView,
} from '@vantage/contracts';
import { checkScorable, ScorerConfigError } from '../scoring/scorers';

/** An upload that is not sealed within this long is dropped with its chunks (the uploader died part-way). */
export const UPLOAD_TTL_MS = 60 * 60 * 1000;

export interface SuiteItem {
  id: string;
  input: string;
  target: string;
  choices?: string[];
}

export interface SuiteRow {
  id: string;
  name: string;
  version: string;
  classification: Clearance;
  scorer: ScorerKind;
  threshold: number | null;
  epochs: number;
  item_count: number;
  content_hash: string;
  active: boolean;
  created_at: Date;
}

/** Operators only add suites: a lab that could see or shape them could tune its model to them. */
export function assertMayAddSuites(who: Pick<CallerIdentity, 'kind'>): void {
  if (who.kind !== 'operator') throw new ForbiddenError('only operators may add benchmark suites');
}

/** SHA-256 of the items in a canonical form (fixed key order), so the same items always hash the same. */
export function contentHash(items: SuiteItem[]): string {
  const hasher = new SuiteContentHasher();
  for (const item of items) hasher.add(item);
  return hasher.digest();
}

export function suiteView(row: SuiteRow): SuiteView {
  return {
    id: row.id,
    name: row.name,
    version: row.version,
    classification: row.classification,
    scorer: row.scorer,
    ...(row.threshold === null ? {} : { threshold: row.threshold }),
    epochs: row.epochs,
    itemCount: row.item_count,
    contentHash: row.content_hash,
    active: row.active,
    createdAt: row.created_at.toISOString(),
  };
}

// A published version is immutable: scores name it, so different items under the same name would lie.
export function existsError(name: string, version: string): ConflictError {
  return new ConflictError('suite_exists', `suite ${name} version ${version} already exists`);
}

/** Where an upload stands: the scorer its items must suit, the items it holds and the chunk it expects next. */
export interface UploadState {
  scorer: ScorerKind;
  itemCount: number;
  nextSeq: number;
}

/** A chunk sent again (a retry) is taken once: the upload's count is the answer, and nothing is stored. */
export type ChunkVerdict = { repeat: true; itemCount: number } | { repeat: false; items: SuiteItem[]; firstIndex: number; itemCount: number };

/** Takes the next chunk of an upload if its items can be scored and fit; refuses one out of order. */
export function acceptChunk(upload: UploadState, request: Pick<AppendSuiteItemsRequest, 'seq' | 'items' | 'labels'>): ChunkVerdict {
  if (request.seq < upload.nextSeq) return { repeat: true, itemCount: upload.itemCount };
  if (request.seq > upload.nextSeq) {
    throw new ConflictError('upload_out_of_order', `chunk ${request.seq} came before chunk ${upload.nextSeq}`);
  }
  const items = request.items.map(toItem);
  const label = (i: number) => request.labels?.[i] ?? `items[${upload.itemCount + i}]`;
  checkItems(upload.scorer, items, label);
  if (upload.itemCount + items.length > MAX_SUITE_ITEMS) {
    throw new RuleViolationError('suite_too_large', `a suite holds at most ${MAX_SUITE_ITEMS} items`, [
      { field: label(MAX_SUITE_ITEMS - upload.itemCount), message: `is past the ${MAX_SUITE_ITEMS}th item` },
    ]);
  }
  return { repeat: false, items, firstIndex: upload.itemCount, itemCount: upload.itemCount + items.length };
}

/**
 * The count and content hash of everything an upload stored, which must be what the uploader says it sent (so a
 * lost or doubled chunk fails the seal instead of making a different suite); an id used twice across chunks is refused.
 */
export function checkSealable(stored: Iterable<SuiteItem>, sent: Pick<SealSuiteUploadRequest, 'itemCount' | 'contentHash'>): { itemCount: number; contentHash: string } {
  const hasher = new SuiteContentHasher();
  const ids = new Set<string>();
  for (const item of stored) {
    if (ids.has(item.id)) {
      throw new RuleViolationError('suite_items_invalid', 'some items cannot be scored', [
        { field: `items[${hasher.itemCount}].id`, message: 'is used by an earlier item' },
      ]);
    }
    ids.add(item.id);
    hasher.add(item);
  }
  const hash = hasher.digest();
  if (hasher.itemCount !== sent.itemCount || hash !== sent.contentHash) {
    throw new ConflictError('upload_incomplete', `the upload holds ${hasher.itemCount} items that do not match what was sent (${sent.itemCount})`);
  }
  return { itemCount: hasher.itemCount, contentHash: hash };
}

function toItem(i: SuiteItem): SuiteItem {
  return { id: i.id, input: i.input, target: i.target, ...(i.choices ? { choices: i.choices } : {}) };
}

/** Refuses a suite the runner could not score, naming the item and field, before anything is stored. */
export function checkItems(scorer: ScorerKind, items: SuiteItem[], label: (i: number) => string = (i) => `items[${i}]`): void {
  const problems: { field: string; message: string }[] = [];
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.id)) problems.push({ field: `${label(i)}.id`, message: 'is used by an earlier item' });
    seen.add(item.id);
    if (scorer !== 'choice' && item.choices) problems.push({ field: `${label(i)}.choices`, message: `is only for the choice scorer` });
    try {
      checkScorable(scorer, item);
    } catch (e) {
      if (!(e instanceof ScorerConfigError)) throw e;
      problems.push({ field: `${label(i)}.${e.field}`, message: e.message.slice(e.field.length + 2) });
    }
  });
  if (problems.length) throw new RuleViolationError('suite_items_invalid', 'some items cannot be scored', problems.slice(0, 100));
}

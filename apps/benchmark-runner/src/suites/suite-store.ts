// Suites: metadata in the clear, items sealed at rest (AES-256-GCM, bound to the suite and chunk they belong to,
// so a sealed chunk cannot be moved to another suite or place). A suite is built by an upload in chunks and
// exists only once sealed (see bench.rpc.ts). Items are opened only to ask the model.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { Clock } from '@vantage/clock';
import {
  AppendSuiteItemsRequest, Clearance, ConflictError, MAX_SUITE_ITEMS, NotFoundError, RuleViolationError, ScorerKind, SealSuiteUploadRequest,
  SuiteContentHasher, SuiteMetadataInput, SuiteView,
} from '@vantage/contracts';
import { SecretBox } from '@vantage/crypto';
import { IdempotencyClaim, IdempotencyKeys } from '@vantage/persistence';
import { checkScorable, ScorerConfigError } from '../scoring/scorers';

/** An upload that is not sealed within this long is dropped with its chunks (the uploader died part-way). */
const UPLOAD_TTL_MS = 60 * 60 * 1000;

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

const SUITE_COLUMNS = 'id, name, version, classification, scorer, threshold, epochs, item_count, content_hash, active, created_at';

@Injectable()
export class SuiteStore {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly secrets: SecretBox,
    private readonly clock: Clock,
    private readonly idempotencyKeys: IdempotencyKeys,
  ) {}

  /**
   * With an Idempotency-Key (`deferExistsCheck`) a suite of the same name and version is not refused here: the seal
   * decides, where a repeat of the key's first upload answers the first suite again.
   */
  async startUpload(request: SuiteMetadataInput, deferExistsCheck = false): Promise<{ uploadId: string }> {
    const now = this.clock.now();
    // Uploads left by an uploader that died are dropped here, by the next one: nothing else needs them.
    await this.dataSource.query(
      `WITH gone AS (DELETE FROM bench.suite_uploads WHERE expires_at < $1 RETURNING id)
       DELETE FROM bench.suite_chunks WHERE suite_id IN (SELECT id FROM gone)`, [now],
    );
    if (!deferExistsCheck) await this.refuseExisting(this.dataSource.manager, request.name, request.version);
    const id = uuidv7({ msecs: now.getTime() });
    await this.dataSource.query(
      `INSERT INTO bench.suite_uploads (id, name, version, classification, scorer, threshold, epochs, sealed_canary, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [id, request.name, request.version, request.classification, request.scorer, request.threshold ?? null, request.epochs ?? 1,
        request.canary ? this.secrets.seal(request.canary, `${id}:canary`) : null, now, new Date(now.getTime() + UPLOAD_TTL_MS)],
    );
    return { uploadId: id };
  }

  /** Checks a chunk's items and stores them sealed; a chunk sent again (a retry) is taken once. */
  async append(request: AppendSuiteItemsRequest): Promise<{ itemCount: number }> {
    return this.dataSource.transaction(async (tx) => {
      const [upload] = await tx.query(
        'SELECT id, scorer, item_count, next_seq FROM bench.suite_uploads WHERE id = $1 AND expires_at >= $2 FOR UPDATE',
        [request.uploadId, this.clock.now()],
      );
      if (!upload) throw new NotFoundError('suite upload');
      if (request.seq < upload.next_seq) return { itemCount: upload.item_count };
      if (request.seq > upload.next_seq) {
        throw new ConflictError('upload_out_of_order', `chunk ${request.seq} came before chunk ${upload.next_seq}`);
      }
      const items = request.items.map(toItem);
      const label = (i: number) => request.labels?.[i] ?? `items[${upload.item_count + i}]`;
      checkItems(upload.scorer, items, label);
      if (upload.item_count + items.length > MAX_SUITE_ITEMS) {
        throw new RuleViolationError('suite_too_large', `a suite holds at most ${MAX_SUITE_ITEMS} items`, [
          { field: label(MAX_SUITE_ITEMS - upload.item_count), message: `is past the ${MAX_SUITE_ITEMS}th item` },
        ]);
      }
      await tx.query(
        'INSERT INTO bench.suite_chunks (suite_id, seq, first_index, item_count, sealed) VALUES ($1, $2, $3, $4, $5)',
        [upload.id, request.seq, upload.item_count, items.length, this.secrets.seal(JSON.stringify(items), `${upload.id}:${request.seq}`)],
      );
      await tx.query('UPDATE bench.suite_uploads SET item_count = item_count + $2, next_seq = next_seq + 1 WHERE id = $1', [upload.id, items.length]);
      return { itemCount: upload.item_count + items.length };
    });
  }

  /**
   * Turns a complete upload into an active suite in one transaction. What the uploader says it sent (count and
   * hash) must be what was stored, so a lost or doubled chunk fails the seal instead of making a different suite.
   */
  async seal(request: SealSuiteUploadRequest, claim?: IdempotencyClaim): Promise<SuiteView> {
    return this.dataSource.transaction(async (tx) => {
      const sealed = await this.idempotencyKeys.run(tx, claim, this.clock.now(), () => this.sealIn(tx, request));
      // A repeat of an upload already sealed under this key: the first suite is the answer, this copy goes.
      if (sealed.replayed) await this.drop(tx, request.uploadId);
      return sealed.body;
    });
  }

  private async sealIn(tx: EntityManager, request: SealSuiteUploadRequest): Promise<SuiteView> {
    const [upload] = await tx.query(
      'SELECT * FROM bench.suite_uploads WHERE id = $1 AND expires_at >= $2 FOR UPDATE', [request.uploadId, this.clock.now()],
    );
    if (!upload) throw new NotFoundError('suite upload');
    const hasher = new SuiteContentHasher();
    const ids = new Set<string>();
    for (const item of await this.openChunks(tx, upload.id)) {
      if (ids.has(item.id)) {
        throw new RuleViolationError('suite_items_invalid', 'some items cannot be scored', [
          { field: `items[${hasher.itemCount}].id`, message: 'is used by an earlier item' },
        ]);
      }
      ids.add(item.id);
      hasher.add(item);
    }
    const hash = hasher.digest();
    if (hasher.itemCount !== request.itemCount || hash !== request.contentHash) {
      throw new ConflictError('upload_incomplete', `the upload holds ${hasher.itemCount} items that do not match what was sent (${request.itemCount})`);
    }
    const rows: SuiteRow[] = await tx.query(
      `INSERT INTO bench.suites (id, name, version, classification, scorer, threshold, epochs, item_count, content_hash, sealed_items, sealed_canary, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, $10, $11)
       ON CONFLICT (name, version) DO NOTHING RETURNING ${SUITE_COLUMNS}`,
      [upload.id, upload.name, upload.version, upload.classification, upload.scorer, upload.threshold, upload.epochs, hasher.itemCount, hash,
        upload.sealed_canary, this.clock.now()],
    );
    if (!rows.length) {
      await this.drop(tx, upload.id);
      throw existsError(upload.name, upload.version);
    }
    await tx.query('DELETE FROM bench.suite_uploads WHERE id = $1', [upload.id]);
    return suiteView(rows[0]);
  }

  async discard(uploadId: string): Promise<void> {
    await this.dataSource.transaction((tx) => this.drop(tx, uploadId));
  }

  async list(tx: EntityManager = this.dataSource.manager): Promise<SuiteRow[]> {
    return tx.query(`SELECT ${SUITE_COLUMNS} FROM bench.suites ORDER BY created_at DESC, id DESC`);
  }

  async activeSuites(tx: EntityManager): Promise<SuiteRow[]> {
    return tx.query(`SELECT ${SUITE_COLUMNS} FROM bench.suites WHERE active ORDER BY created_at`);
  }

  async get(suiteId: string): Promise<SuiteRow> {
    const [row] = await this.dataSource.query(`SELECT ${SUITE_COLUMNS} FROM bench.suites WHERE id = $1`, [suiteId]);
    return row;
  }

  async openItems(suiteId: string): Promise<SuiteItem[]> {
    const [row] = await this.dataSource.query('SELECT sealed_items FROM bench.suites WHERE id = $1', [suiteId]);
    // Suites made before uploads came in chunks hold their items (and canary) in one blob.
    if (row.sealed_items) return (JSON.parse(this.secrets.open(row.sealed_items, suiteId)) as { items: SuiteItem[] }).items;
    return this.openChunks(this.dataSource.manager, suiteId);
  }

  async openCanary(suiteId: string): Promise<string | undefined> {
    const [row] = await this.dataSource.query('SELECT sealed_items, sealed_canary FROM bench.suites WHERE id = $1', [suiteId]);
    if (row.sealed_items) return (JSON.parse(this.secrets.open(row.sealed_items, suiteId)) as { canary: string | null }).canary ?? undefined;
    return row.sealed_canary ? this.secrets.open(row.sealed_canary, `${suiteId}:canary`) : undefined;
  }

  private async openChunks(tx: EntityManager, suiteId: string): Promise<SuiteItem[]> {
    const chunks: { seq: number; sealed: string }[] = await tx.query('SELECT seq, sealed FROM bench.suite_chunks WHERE suite_id = $1 ORDER BY seq', [suiteId]);
    const items: SuiteItem[] = [];
    chunks.forEach((c, i) => {
      if (c.seq !== i) throw new Error(`suite ${suiteId} lacks chunk ${i}`);
      for (const item of JSON.parse(this.secrets.open(c.sealed, `${suiteId}:${c.seq}`)) as SuiteItem[]) items.push(item);
    });
    return items;
  }

  private async refuseExisting(tx: EntityManager, name: string, version: string): Promise<void> {
    const [existing] = await tx.query('SELECT 1 FROM bench.suites WHERE name = $1 AND version = $2', [name, version]);
    if (existing) throw existsError(name, version);
  }

  private async drop(tx: EntityManager, uploadId: string): Promise<void> {
    await tx.query('DELETE FROM bench.suite_chunks WHERE suite_id = $1', [uploadId]);
    await tx.query('DELETE FROM bench.suite_uploads WHERE id = $1', [uploadId]);
  }
}

// A published version is immutable: scores name it, so different items under the same name would lie.
function existsError(name: string, version: string): ConflictError {
  return new ConflictError('suite_exists', `suite ${name} version ${version} already exists`);
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

// Suites: metadata in the clear, items sealed at rest (AES-256-GCM, bound to the suite and chunk they belong to,
// so a sealed chunk cannot be moved to another suite or place). A suite is built by an upload in chunks and
// exists only once sealed (see bench.rpc.ts); an upload's id becomes its suite's, and its chunks the suite's items.
// Items are opened only to check a seal and to ask the model.
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { ScorerKind, SuiteMetadataInput } from '@vantage/contracts';
import { SecretBox } from '@vantage/crypto';
import { SuiteItem, SuiteRow } from './suite';

/** An upload not yet sealed: the suite's metadata, its canary sealed, and the chunks it holds so far. */
export interface UploadRow {
  id: string;
  name: string;
  version: string;
  classification: SuiteRow['classification'];
  scorer: ScorerKind;
  threshold: number | null;
  epochs: number;
  sealed_canary: string | null;
  item_count: number;
  next_seq: number;
}

const SUITE_COLUMNS = 'id, name, version, classification, scorer, threshold, epochs, item_count, content_hash, active, created_at';

@Injectable()
export class SuiteStore {
  constructor(private readonly secrets: SecretBox) {}

  /** Drops uploads left by an uploader that died, with their chunks. */
  async dropExpiredUploads(tx: EntityManager, now: Date): Promise<void> {
    await tx.query(
      `WITH gone AS (DELETE FROM bench.suite_uploads WHERE expires_at < $1 RETURNING id)
       DELETE FROM bench.suite_chunks WHERE suite_id IN (SELECT id FROM gone)`, [now],
    );
  }

  async exists(tx: EntityManager, name: string, version: string): Promise<boolean> {
    const [existing] = await tx.query('SELECT 1 FROM bench.suites WHERE name = $1 AND version = $2', [name, version]);
    return !!existing;
  }

  /** A new upload of the suite, its canary sealed; its id is the suite's to be. */
  async createUpload(tx: EntityManager, suite: SuiteMetadataInput, now: Date, expiresAt: Date): Promise<string> {
    const id = uuidv7({ msecs: now.getTime() });
    await tx.query(
      `INSERT INTO bench.suite_uploads (id, name, version, classification, scorer, threshold, epochs, sealed_canary, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [id, suite.name, suite.version, suite.classification, suite.scorer, suite.threshold ?? null, suite.epochs ?? 1,
        suite.canary ? this.secrets.seal(suite.canary, `${id}:canary`) : null, now, expiresAt],
    );
    return id;
  }

  /** The upload, if it has not expired, locked until the transaction ends (chunks and seals of it are serialised). */
  async lockUpload(tx: EntityManager, uploadId: string, now: Date): Promise<UploadRow | undefined> {
    const [upload] = await tx.query(
      `SELECT id, name, version, classification, scorer, threshold, epochs, sealed_canary, item_count, next_seq
       FROM bench.suite_uploads WHERE id = $1 AND expires_at >= $2 FOR UPDATE`,
      [uploadId, now],
    );
    return upload;
  }

  /** Stores a chunk of the upload sealed, and moves the upload on to the next. */
  async appendChunk(tx: EntityManager, upload: Pick<UploadRow, 'id' | 'item_count'>, seq: number, items: SuiteItem[]): Promise<void> {
    await tx.query(
      'INSERT INTO bench.suite_chunks (suite_id, seq, first_index, item_count, sealed) VALUES ($1, $2, $3, $4, $5)',
      [upload.id, seq, upload.item_count, items.length, this.secrets.seal(JSON.stringify(items), `${upload.id}:${seq}`)],
    );
    await tx.query('UPDATE bench.suite_uploads SET item_count = item_count + $2, next_seq = next_seq + 1 WHERE id = $1', [upload.id, items.length]);
  }

  /** Turns the upload into an active suite that keeps its chunks; undefined if the name and version are taken. */
  async createSuite(tx: EntityManager, upload: UploadRow, itemCount: number, contentHash: string, now: Date): Promise<SuiteRow | undefined> {
    const rows: SuiteRow[] = await tx.query(
      `INSERT INTO bench.suites (id, name, version, classification, scorer, threshold, epochs, item_count, content_hash, sealed_items, sealed_canary, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, $10, $11)
       ON CONFLICT (name, version) DO NOTHING RETURNING ${SUITE_COLUMNS}`,
      [upload.id, upload.name, upload.version, upload.classification, upload.scorer, upload.threshold, upload.epochs, itemCount, contentHash,
        upload.sealed_canary, now],
    );
    if (!rows.length) return undefined;
    await tx.query('DELETE FROM bench.suite_uploads WHERE id = $1', [upload.id]);
    return rows[0];
  }

  /** Drops an upload and its chunks. */
  async dropUpload(tx: EntityManager, uploadId: string): Promise<void> {
    await tx.query('DELETE FROM bench.suite_chunks WHERE suite_id = $1', [uploadId]);
    await tx.query('DELETE FROM bench.suite_uploads WHERE id = $1', [uploadId]);
  }

  async list(tx: EntityManager): Promise<SuiteRow[]> {
    return tx.query(`SELECT ${SUITE_COLUMNS} FROM bench.suites ORDER BY created_at DESC, id DESC`);
  }

  async activeSuites(tx: EntityManager): Promise<SuiteRow[]> {
    return tx.query(`SELECT ${SUITE_COLUMNS} FROM bench.suites WHERE active ORDER BY created_at`);
  }

  async get(tx: EntityManager, suiteId: string): Promise<SuiteRow> {
    const [row] = await tx.query(`SELECT ${SUITE_COLUMNS} FROM bench.suites WHERE id = $1`, [suiteId]);
    return row;
  }

  async openItems(tx: EntityManager, suiteId: string): Promise<SuiteItem[]> {
    const [row] = await tx.query('SELECT sealed_items FROM bench.suites WHERE id = $1', [suiteId]);
    // Suites made before uploads came in chunks hold their items (and canary) in one blob.
    if (row.sealed_items) return (JSON.parse(this.secrets.open(row.sealed_items, suiteId)) as { items: SuiteItem[] }).items;
    return this.openChunks(tx, suiteId);
  }

  async openCanary(tx: EntityManager, suiteId: string): Promise<string | undefined> {
    const [row] = await tx.query('SELECT sealed_items, sealed_canary FROM bench.suites WHERE id = $1', [suiteId]);
    if (row.sealed_items) return (JSON.parse(this.secrets.open(row.sealed_items, suiteId)) as { canary: string | null }).canary ?? undefined;
    return row.sealed_canary ? this.secrets.open(row.sealed_canary, `${suiteId}:canary`) : undefined;
  }

  /** The items of an upload's (or a suite's) chunks, in order; a missing chunk is an error. */
  async openChunks(tx: EntityManager, suiteId: string): Promise<SuiteItem[]> {
    const chunks: { seq: number; sealed: string }[] = await tx.query('SELECT seq, sealed FROM bench.suite_chunks WHERE suite_id = $1 ORDER BY seq', [suiteId]);
    const items: SuiteItem[] = [];
    chunks.forEach((c, i) => {
      if (c.seq !== i) throw new Error(`suite ${suiteId} lacks chunk ${i}`);
      for (const item of JSON.parse(this.secrets.open(c.sealed, `${suiteId}:${c.seq}`)) as SuiteItem[]) items.push(item);
    });
    return items;
  }
}

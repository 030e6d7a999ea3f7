// Suites: metadata in the clear, items sealed in one blob per suite (AES-256-GCM with the suite id as
// associated data, so a blob cannot be moved to another suite). Items are opened only to ask the model.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { Clock } from '@vantage/clock';
import { Clearance, ConflictError, CreateSuiteRequest, RuleViolationError, ScorerKind, SuiteView } from '@vantage/contracts';
import { SecretBox } from '@vantage/crypto';
import { checkScorable, ScorerConfigError } from '../scoring/scorers';

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
  const canonical = items.map((i) => [i.id, i.input, i.target, i.choices ?? null]);
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
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
  ) {}

  async create(request: CreateSuiteRequest): Promise<SuiteView> {
    const items: SuiteItem[] = request.items.map((i) => ({ id: i.id, input: i.input, target: i.target, ...(i.choices ? { choices: i.choices } : {}) }));
    checkItems(request.scorer, items);
    const id = uuidv7({ msecs: this.clock.now().getTime() });
    const sealed = this.secrets.seal(JSON.stringify({ canary: request.canary ?? null, items }), id);
    const rows: SuiteRow[] = await this.dataSource.query(
      `INSERT INTO bench.suites (id, name, version, classification, scorer, threshold, epochs, item_count, content_hash, sealed_items, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (name, version) DO NOTHING RETURNING ${SUITE_COLUMNS}`,
      [id, request.name, request.version, request.classification, request.scorer, request.threshold ?? null, request.epochs ?? 1,
        items.length, contentHash(items), sealed, this.clock.now()],
    );
    // A published version is immutable: scores name it, so different items under the same name would lie.
    if (!rows.length) throw new ConflictError('suite_exists', `suite ${request.name} version ${request.version} already exists`);
    return suiteView(rows[0]);
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
    return (JSON.parse(this.secrets.open(row.sealed_items, suiteId)) as { items: SuiteItem[] }).items;
  }
}

/** Refuses a suite the runner could not score, naming the item and field, before anything is stored. */
export function checkItems(scorer: ScorerKind, items: SuiteItem[]): void {
  const problems: { field: string; message: string }[] = [];
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.id)) problems.push({ field: `items[${i}].id`, message: 'is used by an earlier item' });
    seen.add(item.id);
    if (scorer !== 'choice' && item.choices) problems.push({ field: `items[${i}].choices`, message: `is only for the choice scorer` });
    try {
      checkScorable(scorer, item);
    } catch (e) {
      if (!(e instanceof ScorerConfigError)) throw e;
      problems.push({ field: `items[${i}].${e.field}`, message: e.message.slice(e.field.length + 2) });
    }
  });
  if (problems.length) throw new RuleViolationError('suite_items_invalid', 'some items cannot be scored', problems.slice(0, 100));
}

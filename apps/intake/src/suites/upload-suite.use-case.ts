// Uploads a suite to the benchmark runner in chunks, however large: start an upload, append the items in
// chunks well under NATS's payload limit, and seal with the count and content hash of everything sent. The
// same path serves a JSON body and a JSONL stream (read line by line, never held whole). Any failure part-way
// discards the upload, so no half suite is ever stored as a suite.
import { Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { Principal } from '@vantage/auth';
import {
  AppendSuiteItems, DiscardSuiteUpload, DomainError, FieldProblem, InputInvalidError, RuleViolationError, SealSuiteUpload, StartSuiteUpload, SUITE_CHUNK_MAX_ITEMS,
  SuiteContentHasher, SuiteItemInput, SuiteMetadataInput, SuiteView,
} from '@vantage/contracts';
import { createValidationPipe, ValidationFailedException } from '@vantage/runtime';
import { Forwarder } from '../http/forwarder';
import { forwardedIdempotency } from '../http/idempotency';

/** Bytes of items per chunk: with the largest single item allowed, a message stays well under NATS's 1 MB. */
const CHUNK_BYTES = 256 * 1024;
/** A JSONL upload larger than this is refused (413): 50,000 items of a few kilobytes each fit many times over. */
export const SUITE_UPLOAD_MAX_BYTES = 512 * 1024 * 1024;
/** A longer line cannot be a valid item (input ≤ 20,000 characters, 26 choices ≤ 2,000 each). */
const MAX_LINE_BYTES = 1024 * 1024;

export interface LabelledItem {
  item: SuiteItemInput;
  /** Where it came from, for error messages: `items[3]` or `line 5`. */
  label: string;
}

@Injectable()
export class UploadSuiteUseCase {
  private readonly pipe = createValidationPipe();

  constructor(private readonly forwarder: Forwarder) {}

  /**
   * With an Idempotency-Key, the runner claims the key when it seals, against a hash of the metadata and of every
   * item (known only at the end of a stream): a repeat answers the first suite, another suite under the key is a 409.
   */
  async upload(metadata: SuiteMetadataInput, items: Iterable<LabelledItem> | AsyncIterable<LabelledItem>, caller: Principal, idempotencyKey?: string): Promise<SuiteView> {
    const { uploadId } = await this.forwarder.forward(StartSuiteUpload, metadata, caller, forwardedIdempotency(idempotencyKey, metadata));
    try {
      const hasher = new SuiteContentHasher();
      const firstSeen = new Map<string, string>();
      let chunk: SuiteItemInput[] = [];
      let labels: string[] = [];
      let bytes = 0;
      let seq = 0;
      const send = async () => {
        await this.forwarder.forward(AppendSuiteItems, { uploadId, seq: seq++, items: chunk, labels }, caller);
        chunk = [];
        labels = [];
        bytes = 0;
      };
      for await (const { item, label } of items) {
        const earlier = firstSeen.get(item.id);
        if (earlier) throw new RuleViolationError('suite_items_invalid', `${label}: id is used by ${earlier}`, [{ field: `${label}.id`, message: `is used by ${earlier}` }]);
        firstSeen.set(item.id, label);
        const size = Buffer.byteLength(JSON.stringify(item)) + label.length + 8;
        if (chunk.length && (bytes + size > CHUNK_BYTES || chunk.length >= SUITE_CHUNK_MAX_ITEMS)) await send();
        hasher.add(item);
        chunk.push(item);
        labels.push(label);
        bytes += size;
      }
      if (chunk.length) await send();
      if (!hasher.itemCount) throw new InputInvalidError('a suite needs at least one item', [{ field: 'items', message: 'must hold at least one item' }]);
      const seal = { uploadId, itemCount: hasher.itemCount, contentHash: hasher.digest() };
      const request = { metadata, itemCount: seal.itemCount, contentHash: seal.contentHash };
      return await this.forwarder.forward(SealSuiteUpload, seal, caller, forwardedIdempotency(idempotencyKey, request));
    } catch (e) {
      await this.forwarder.forward(DiscardSuiteUpload, { uploadId }, caller).catch(() => undefined);
      throw e;
    }
  }

  /** A JSONL body: line 1 the suite's metadata, then one item per line (blank lines are skipped). */
  async uploadJsonl(body: Readable, caller: Principal, idempotencyKey?: string): Promise<SuiteView> {
    const lines = jsonlLines(body)[Symbol.asyncIterator]();
    const first = await lines.next();
    if (first.done) throw new InputInvalidError('the upload is empty', [{ field: 'line 1', message: 'must hold the suite metadata' }]);
    const metadata = await this.check(SuiteMetadataInput, first.value).catch((e) => {
      body.resume();
      throw e;
    });
    const rest = { [Symbol.asyncIterator]: () => lines };
    const check = this.check.bind(this);
    async function* items(): AsyncGenerator<LabelledItem> {
      for await (const line of rest) yield { item: await check(SuiteItemInput, line), label: `line ${line.number}` };
    }
    try {
      return await this.upload(metadata, items(), caller, idempotencyKey);
    } finally {
      // A refusal part-way leaves the rest of the body unread, and Node does not drain a request it has begun to
      // read: it would stall the connection. Discarded as it arrives, the answer goes out and the connection lives.
      body.resume();
    }
  }

  /** One line through the gateway's one validation, with its problems named by line. */
  private async check<T extends object>(cls: new () => T, line: { number: number; text: string }): Promise<T> {
    const label = `line ${line.number}`;
    let value: unknown;
    try {
      value = JSON.parse(line.text);
    } catch {
      throw new InputInvalidError(`${label} is not JSON`, [{ field: label, message: 'is not JSON' }]);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new InputInvalidError(`${label} is not a JSON object`, [{ field: label, message: 'must be a JSON object' }]);
    }
    try {
      return (await this.pipe.transform(value, { type: 'body', metatype: cls })) as T;
    } catch (e) {
      if (!(e instanceof ValidationFailedException)) throw e;
      const problems: FieldProblem[] = e.problems.map((p) => ({ field: `${label}.${p.field === '(body)' ? '' : p.field}`.replace(/\.$/, ''), message: p.message }));
      throw new InputInvalidError(`${label}: ${problems.map((p) => `${p.field.slice(label.length + 1) || 'it'} ${p.message}`).join('; ')}`, problems);
    }
  }
}

/** The non-blank lines of a stream with their 1-based numbers, read as they arrive; sizes are bounded. */
export async function* jsonlLines(body: Readable): AsyncGenerator<{ number: number; text: string }> {
  let pending: Buffer = Buffer.alloc(0);
  let number = 0;
  let total = 0;
  const emit = (raw: Buffer) => {
    number++;
    let text = raw.toString('utf8');
    if (number === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.endsWith('\r')) text = text.slice(0, -1);
    return text.trim() ? { number, text } : undefined;
  };
  // Not destroyed when reading stops early (a refused line): the server then discards the rest of the body and
  // answers on a connection that stays usable.
  for await (const chunk of body.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > SUITE_UPLOAD_MAX_BYTES) throw new DomainError('body_too_large', 413, `a suite upload may be at most ${SUITE_UPLOAD_MAX_BYTES} bytes`);
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    let start = 0;
    for (let nl = pending.indexOf(10, start); nl >= 0; nl = pending.indexOf(10, start)) {
      const line = emit(pending.subarray(start, nl));
      start = nl + 1;
      if (line) yield line;
    }
    pending = pending.subarray(start);
    if (pending.length > MAX_LINE_BYTES) {
      throw new InputInvalidError(`line ${number + 1} is longer than ${MAX_LINE_BYTES} bytes`, [{ field: `line ${number + 1}`, message: `is longer than ${MAX_LINE_BYTES} bytes` }]);
    }
  }
  if (pending.length) {
    const line = emit(pending);
    if (line) yield line;
  }
}

// Uploads a suite to the benchmark runner in chunks, however large: start an upload, append the items in
// chunks well under NATS's payload limit, and seal with the count and content hash of everything sent. The
// same path serves a JSON body and a JSONL stream (read line by line by the adapter, jsonl-suite.ts, never held
// whole). Any failure part-way discards the upload, so no half suite is ever stored as a suite. Nothing is written
// here (the runner keeps the suite), so there is no transaction to give it.
import { Injectable } from '@nestjs/common';
import { Principal } from '@vantage/auth';
import {
  AppendSuiteItems, DiscardSuiteUpload, InputInvalidError, RuleViolationError, SealSuiteUpload, StartSuiteUpload, SUITE_CHUNK_MAX_ITEMS,
  SuiteContentHasher, SuiteItemInput, SuiteMetadataInput, SuiteView,
} from '@vantage/contracts';
import { UseCase } from '@vantage/runtime';
import { Forwarder } from '../http/forwarder';
import { forwardedIdempotency } from '../http/idempotency';

/** Bytes of items per chunk: with the largest single item allowed, a message stays well under NATS's 1 MB. */
const CHUNK_BYTES = 256 * 1024;

export interface LabelledItem {
  item: SuiteItemInput;
  /** Where it came from, for error messages: `items[3]` or `line 5`. */
  label: string;
}

export interface UploadSuiteCommand {
  /** The operator uploading (forwarded with each request). */
  caller: Principal;
  metadata: SuiteMetadataInput;
  items: Iterable<LabelledItem> | AsyncIterable<LabelledItem>;
  idempotencyKey?: string;
}

@Injectable()
export class UploadSuiteUseCase implements UseCase<UploadSuiteCommand, SuiteView> {
  constructor(private readonly forwarder: Forwarder) {}

  /**
   * With an Idempotency-Key, the runner claims the key when it seals, against a hash of the metadata and of every
   * item (known only at the end of a stream): a repeat answers the first suite, another suite under the key is a 409.
   */
  async execute(command: UploadSuiteCommand): Promise<SuiteView> {
    const { caller, metadata, items, idempotencyKey } = command;
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
}

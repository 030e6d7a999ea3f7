// Idempotency-Key for creating POSTs: the first answer for (caller, key) is stored in the same transaction
// as the creation; the same key with the same body gets that answer again, with another body a 409.
// A concurrent duplicate waits on the key's row lock and then replays the committed answer.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '@vantage/clock';
import { InputInvalidError } from '@vantage/contracts';
import { RpcIdempotency } from '@vantage/messaging';
import { IdempotencyKeys, IdempotentResult } from '@vantage/persistence';

@Injectable()
export class Idempotency {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly keys: IdempotencyKeys,
  ) {}

  async run<T>(orgId: string, key: string | undefined, request: unknown, work: (tx: EntityManager) => Promise<T>): Promise<IdempotentResult<T>> {
    if (key !== undefined) checkIdempotencyKey(key);
    const claim = key === undefined ? undefined : { orgId, key, requestHash: requestHash(request) };
    return this.dataSource.transaction((tx) => this.keys.run(tx, claim, this.clock.now(), () => work(tx)));
  }
}

export function checkIdempotencyKey(key: string): void {
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new InputInvalidError('Idempotency-Key must be 1–255 visible ASCII characters', [{ field: 'Idempotency-Key', message: 'must be 1–255 visible ASCII characters' }]);
  }
}

/**
 * For a creating call another service answers: the key (checked) and the body's hash travel with the request,
 * and that service keeps the answer in its own creating transaction (see RpcIdempotency).
 */
export function forwardedIdempotency(key: string | undefined, request: unknown): RpcIdempotency | undefined {
  if (key === undefined) return undefined;
  checkIdempotencyKey(key);
  return { key, requestHash: requestHash(request) };
}

/** A stable hash of the request body: keys sorted, so property order does not matter. */
export function requestHash(value: unknown): string {
  return createHash('sha256').update(canonical(value)).digest('hex');
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value as object).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

// Finds the service's @ConsumeEvent and @ConsumeEvents handlers and groups them into durable consumers: one per
// purpose, `<service>-<purpose>`, shared by every replica, reading one domain's stream.
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { EntityManager } from 'typeorm';
import { EventDefinition, EventEnvelope } from '@vantage/contracts';
import { EVENT_HANDLER, EventHandlerMeta } from './decorators';
import { discoverHandlers } from './discover-handlers';
import { streamNameOf } from './streams';

export type SingleHandler = (event: EventEnvelope<any>, tx: EntityManager) => Promise<void>;
export type BatchHandler = (events: EventEnvelope<any>[], tx: EntityManager) => Promise<void>;

export interface BoundHandler {
  definition: EventDefinition<any>;
  batch: boolean;
  call: SingleHandler | BatchHandler;
}

/** One durable consumer and the handlers of the event types it takes. */
export interface ConsumerGroup {
  durable: string;
  stream: string;
  filterSubject: string;
  /** Events handled at once by one replica: the most any of its per-event handlers asks for. */
  concurrency: number;
  /** By event type. */
  handlers: Map<string, BoundHandler>;
}

export interface DeclaredHandler {
  meta: EventHandlerMeta;
  call: (...args: any[]) => Promise<unknown>;
}

/** The consumers of the handlers declared on the application's providers. */
export function discoverConsumers(
  discovery: DiscoveryService,
  scanner: MetadataScanner,
  reflector: Reflector,
  service: string,
  prefix: string,
): ConsumerGroup[] {
  const declared = discoverHandlers<EventHandlerMeta[]>(discovery, scanner, reflector, EVENT_HANDLER).flatMap(({ meta, call }) =>
    meta.map((one) => ({ meta: one, call })),
  );
  return groupConsumers(declared, service, prefix);
}

/** Groups handlers into consumers by purpose; refuses a consumer that would read two streams or a type handled twice. */
export function groupConsumers(declared: Iterable<DeclaredHandler>, service: string, prefix: string): ConsumerGroup[] {
  const byDurable = new Map<string, ConsumerGroup>();
  for (const { meta, call } of declared) {
    const durable = `${service}-${meta.purpose}`;
    const stream = streamNameOf(prefix, meta.definition.domain);
    let group = byDurable.get(durable);
    if (!group) {
      group = { durable, stream, filterSubject: '', concurrency: 1, handlers: new Map() };
      byDurable.set(durable, group);
    }
    if (group.stream !== stream) {
      throw new Error(`consumer ${durable} mixes events of two domains; give ${meta.definition.type} its own purpose`);
    }
    if (group.handlers.has(meta.definition.type)) throw new Error(`${meta.definition.type} has two handlers in ${durable}`);
    group.concurrency = Math.max(group.concurrency, meta.batch ? 1 : (meta.concurrency ?? 1));
    group.handlers.set(meta.definition.type, { definition: meta.definition, batch: !!meta.batch, call: call as SingleHandler });
  }
  const groups: ConsumerGroup[] = [];
  for (const group of byDurable.values()) {
    const subjects = new Set([...group.handlers.values()].map((h) => h.definition.subject(prefix)));
    // NATS 2.9 takes one filter subject: exact when one subject, else the domain's wildcard.
    group.filterSubject = subjects.size === 1 ? [...subjects][0] : `${prefix}.${[...group.handlers.values()][0].definition.domain}.>`;
    groups.push(group);
  }
  return groups;
}

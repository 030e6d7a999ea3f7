// Nest-style handler declarations: discovered at start-up and bound to durable consumers or queue groups.
import { SetMetadata } from '@nestjs/common';
import { EventDefinition, RpcDefinition } from '@vantage/contracts';

export const EVENT_HANDLER = Symbol('vantage:event-handler');
export const RPC_HANDLER = Symbol('vantage:rpc-handler');

export interface EventHandlerOptions {
  /**
   * What the handler is for. With the service name it names the durable consumer that every replica
   * shares: `<service>-<purpose>`. Handlers with the same purpose share one consumer (one domain each).
   */
  purpose: string;
  /** Handle many events in one transaction (the method receives an array). */
  batch?: boolean;
  /** Events handled at once by one replica (per-event handlers only). Above 1, order is not kept. */
  concurrency?: number;
}

export interface EventHandlerMeta extends EventHandlerOptions {
  definition: EventDefinition<any>;
}

/**
 * (Named apart from @nestjs/event-emitter's in-process `@OnEvent`: this one is a durable JetStream consumer.)
 * Marks `(event: EventEnvelope<T>, tx: EntityManager) => Promise<void>` (or, with `batch`,
 * `(events: EventEnvelope<T>[], tx: EntityManager) => Promise<void>`) as the handler of an event.
 * Its effects and the inbox record commit in one transaction; then the message is acked.
 */
export function ConsumeEvent<T extends object>(definition: EventDefinition<T>, options: EventHandlerOptions): MethodDecorator {
  return SetMetadata(EVENT_HANDLER, { definition, ...options } satisfies EventHandlerMeta);
}

/** Marks `(request: Req, ctx: RpcContext) => Promise<Res>` as the answerer of a request-reply subject. */
export function OnRequest<Req extends object, Res>(definition: RpcDefinition<Req, Res>): MethodDecorator {
  return SetMetadata(RPC_HANDLER, definition);
}

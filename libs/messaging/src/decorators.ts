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

export interface EventsHandlerOptions extends EventHandlerOptions {
  /**
   * One durable consumer per producing domain of the definitions, `<service>-<purpose>-<domain>`: a consumer reads
   * one domain's stream, so a handler of events of several domains needs this.
   */
  perDomain?: boolean;
}

/** What the host reads of one event a method handles. A method's metadata is the list of them. */
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
  return SetMetadata(EVENT_HANDLER, [{ definition, ...options }] satisfies EventHandlerMeta[]);
}

/**
 * Marks one method as the handler of each of several events, as if it carried a @ConsumeEvent for each: e.g. every
 * event of the catalogue. With `batch`, each call still gets events of one type. With `perDomain`, the events of each
 * producing domain go to a consumer of their own.
 */
export function ConsumeEvents(definitions: readonly EventDefinition<any>[], options: EventsHandlerOptions): MethodDecorator {
  if (definitions.length === 0) throw new Error(`@ConsumeEvents for ${options.purpose} has no event definitions`);
  const { perDomain, ...handlerOptions } = options;
  const metas = definitions.map(
    (definition): EventHandlerMeta => ({
      definition,
      ...handlerOptions,
      purpose: perDomain ? `${options.purpose}-${definition.domain}` : options.purpose,
    }),
  );
  return SetMetadata(EVENT_HANDLER, metas);
}

/** Marks `(request: Req, ctx: RpcContext) => Promise<Res>` as the answerer of a request-reply subject. */
export function OnRequest<Req extends object, Res>(definition: RpcDefinition<Req, Res>): MethodDecorator {
  return SetMetadata(RPC_HANDLER, definition);
}

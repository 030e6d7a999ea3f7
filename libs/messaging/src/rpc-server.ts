// Answers request-reply subjects with the @OnRequest handlers of this service; replicas share a queue group.
// Before a handler runs, the request's signed caller is verified (libs/crypto caller-token): signed by a service in
// VANTAGE_SERVICE_KEYS, for this service, this subject and these very bytes, not expired, not seen before, and from a
// sender the contract allows (`callers`): the gateway acting for an organisation, or the named services as
// themselves. Anything else is refused before its body is read.
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { Msg, Subscription } from 'nats';
import {
  CallerIdentity, CLEARANCES, DomainError, GATEWAY_DOMAIN, ORG_KINDS, PayloadInvalidError, RpcDefinition, RpcReply, validatePayload,
} from '@vantage/contracts';
import {
  CALLER_TOKEN_HEADER, CallerTokenError, ReplayGuard, ServiceDirectory, ServiceIdentity, ServiceKeyError, verifyCallerToken, VerifiedCaller,
} from '@vantage/crypto';
import { Metrics, SpanKind, TraceContext } from '@vantage/observability';
import { domainOf, isDatabaseUnavailable, SERVICE_NAMES, ServiceName } from '@vantage/persistence';
import { RPC_HANDLER } from './decorators';
import { discoverHandlers } from './discover-handlers';
import { MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';
import { NatsClient } from './nats-client';
import { replyContext, requestContext } from './rpc-sealing';
import { RpcIdempotency, RpcRequestEnvelope } from './rpc-client';

export interface RpcContext {
  /** The organisation the gateway acts for (requests whose contract says `organisation`). */
  caller?: CallerIdentity;
  /** The service that sent the request, as its signature proves. */
  callerService: ServiceName;
  idempotency?: RpcIdempotency;
}

/**
 * The organisation a request acts for. The server verified it before the handler ran, for every request whose
 * contract says the gateway sends it for an organisation: a handler of such a request reads it here, once.
 */
export function callerOf(ctx: RpcContext): CallerIdentity {
  if (!ctx.caller) throw new CallerNotVerifiedError('the request names no organisation it acts for');
  return ctx.caller;
}

/** The request's signed caller is missing, forged, replayed, expired, or not one the contract admits. */
export class CallerNotVerifiedError extends DomainError {
  constructor(detail: string) {
    super('caller_not_verified', 401, detail);
  }
}

type RpcHandler = (request: object, ctx: RpcContext) => Promise<unknown>;

@Injectable()
export class RpcServer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger(RpcServer.name);
  private readonly subscriptions: Subscription[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly encoder = new TextEncoder();
  private readonly decoder = new TextDecoder();
  private readonly replays = new ReplayGuard();

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    private readonly nats: NatsClient,
    private readonly metrics: Metrics,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly directory: ServiceDirectory,
    private readonly identity: ServiceIdentity,
  ) {}

  onApplicationBootstrap(): void {
    for (const { meta: definition, call } of discoverHandlers<RpcDefinition<any, any>>(this.discovery, this.scanner, this.reflector, RPC_HANDLER)) {
      const handler = call as RpcHandler;
      const subject = definition.subject(this.options.config.VANTAGE_NATS_PREFIX);
      const sub = this.nats.connection.subscribe(subject, {
        queue: this.options.service,
        callback: (err, msg) => {
          if (err) return;
          const p = this.answer(definition, handler, msg).finally(() => this.inFlight.delete(p));
          this.inFlight.add(p);
        },
      });
      this.subscriptions.push(sub);
    }
  }

  async onModuleDestroy(): Promise<void> {
    for (const sub of this.subscriptions) sub.unsubscribe();
    await Promise.allSettled([...this.inFlight]);
  }

  private async answer(definition: RpcDefinition<any, any>, handler: RpcHandler, msg: Msg): Promise<void> {
    const subject = definition.subject(this.options.config.VANTAGE_NATS_PREFIX);
    let reply: RpcReply<unknown>;
    let asker: ServiceName | undefined;
    const trace = {
      traceparent: msg.headers?.get('traceparent') || '',
      correlationId: msg.headers?.get('correlationid') || '',
    };
    try {
      const who = await this.verify(definition, msg);
      asker = who.callerService;
      const body = JSON.parse(await this.open(msg)) as RpcRequestEnvelope<unknown>;
      const request = validatePayload(definition.request, body.data, 'request');
      const value = await TraceContext.run(trace, () => handler(request, { ...who, idempotency: validIdempotency(body.idempotency) }), {
        name: `${definition.domain}.${definition.verb} process`,
        kind: SpanKind.SERVER,
        attributes: { 'messaging.system': 'nats', 'messaging.destination.name': subject, 'vantage.caller.service': who.callerService },
      });
      reply = { ok: true, value: value ?? null };
    } catch (e) {
      reply = { ok: false, error: toReplyError(e) };
      if (reply.error.status >= 500) this.log.error(`${subject} failed: ${(e as Error).message}`);
      if (e instanceof CallerNotVerifiedError) this.log.warn(`${subject}: refused a request: ${e.message}`);
    }
    this.metrics.rpcHandled.inc({ subject, outcome: reply.ok ? 'ok' : reply.error.code });
    if (!msg.reply) return;
    const text = JSON.stringify(reply);
    // Sealed to the service that asked; a refusal before the asker was known goes unsealed (rpc-sealing.ts).
    msg.respond(this.encoder.encode(asker ? await this.directory.sealTo(asker, text, replyContext(msg.subject, msg.data)) : text));
  }

  private async open(msg: Msg): Promise<string> {
    try {
      return await this.identity.open(this.decoder.decode(msg.data), requestContext(msg.subject));
    } catch (e) {
      if (e instanceof ServiceKeyError) throw new DomainError('request_not_sealed', 400, 'the request body is not sealed to this service');
      throw e;
    }
  }

  private async verify(definition: RpcDefinition<any, any>, msg: Msg): Promise<Pick<RpcContext, 'caller' | 'callerService'>> {
    let verified: VerifiedCaller;
    try {
      verified = await verifyCallerToken(
        this.directory,
        msg.headers?.get(CALLER_TOKEN_HEADER) || undefined,
        { audience: this.options.service, subject: msg.subject, payload: msg.data },
        this.replays,
      );
    } catch (e) {
      if (e instanceof CallerTokenError) throw new CallerNotVerifiedError(e.message);
      throw e;
    }
    const service = SERVICE_NAMES.find((s) => s === verified.service);
    if (!service) throw new CallerNotVerifiedError(`${verified.service} is not a Vantage service`);
    const callers = definition.callers;
    if (callers.kind === 'services') {
      if (verified.organisation || !callers.services.includes(domainOf(service))) {
        throw new CallerNotVerifiedError(`${service} may not send this request`);
      }
      return { callerService: service };
    }
    const org = verified.organisation;
    if (domainOf(service) !== GATEWAY_DOMAIN || !org) throw new CallerNotVerifiedError('only the gateway, acting for an organisation, may send this request');
    if (!(ORG_KINDS as readonly string[]).includes(org.kind)) throw new CallerNotVerifiedError('the organisation kind is not known');
    if (org.clearance !== undefined && !(CLEARANCES as readonly string[]).includes(org.clearance)) throw new CallerNotVerifiedError('the clearance is not known');
    return {
      callerService: service,
      caller: {
        orgId: org.id,
        kind: org.kind as CallerIdentity['kind'],
        ...(org.clearance ? { clearance: org.clearance as CallerIdentity['clearance'] } : {}),
        ...(org.keyId ? { keyId: org.keyId } : {}),
      },
    };
  }
}

/** The envelope comes over the wire: a key that is not a plain pair of strings is ignored rather than trusted. */
function validIdempotency(i: unknown): RpcIdempotency | undefined {
  const v = i as Partial<RpcIdempotency> | undefined;
  return typeof v?.key === 'string' && typeof v.requestHash === 'string' ? { key: v.key, requestHash: v.requestHash } : undefined;
}

function toReplyError(e: unknown): Extract<RpcReply<unknown>, { ok: false }>['error'] {
  if (e instanceof DomainError) return { code: e.code, status: e.status, message: e.message, errors: e.errors };
  if (e instanceof PayloadInvalidError) return { code: 'validation_failed', status: 400, message: e.message, errors: e.problems };
  if (e instanceof SyntaxError) return { code: 'malformed_request', status: 400, message: 'request is not JSON' };
  // An outage of the service's database is unavailability, which the caller may retry, not a failure.
  if (isDatabaseUnavailable(e)) return { code: 'service_unavailable', status: 503, message: 'the service cannot reach a server it depends on right now; try again shortly' };
  // Unexpected errors are not described to the caller: their text may carry internals.
  return { code: 'internal', status: 500, message: 'the service failed to answer' };
}

// Asks another service over core NATS request-reply. Never hangs: a timeout or no responder is a typed error.
// Every request is signed by this service (libs/crypto caller-token): for itself, or, from the gateway, for the
// organisation whose key it checked. The answering service believes nothing else. Its body is sealed to the
// answering service and the answer to this one (rpc-sealing.ts): what requests carry (classified suite items, proofs
// of concept, a lab's credential, a webhook secret) crosses the bus, the NATS server included, in no readable form.
import { Inject, Injectable } from '@nestjs/common';
import { headers as natsHeaders, Msg, MsgHdrs } from 'nats';
import { CallerIdentity, DomainError, RpcDefinition } from '@vantage/contracts';
import { CALLER_TOKEN_HEADER, ServiceDirectory, ServiceIdentity, signCallerToken } from '@vantage/crypto';
import { SpanKind, TraceContext } from '@vantage/observability';
import { serviceOfDomain } from '@vantage/persistence';
import { MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';
import { NatsClient } from './nats-client';
import { openReply, replyContext, requestContext } from './rpc-sealing';

export class RpcUnavailableError extends DomainError {
  constructor(subject: string) {
    super('service_unavailable', 503, `no service is answering ${subject} right now`);
  }
}

export class RpcTimeoutError extends DomainError {
  constructor(subject: string, ms: number) {
    super('service_timeout', 504, `${subject} did not answer within ${ms} ms`);
  }
}

/**
 * A creating call's Idempotency-Key, as the gateway received it, with the hash of the request body: the owning
 * service keeps its answer under the key in the transaction that creates, so a client's retry (after a timeout,
 * or a gateway that died mid-call) gets the first answer again and creates nothing twice.
 */
export interface RpcIdempotency {
  key: string;
  requestHash: string;
}

/** The caller gave up on the request (its `signal` aborted): no answer is waited for any more. */
export class RpcAbandonedError extends DomainError {
  constructor(subject: string) {
    super('request_abandoned', 499, `the request to ${subject} was abandoned by its caller`);
  }
}

/** The request's body. Who asks is not in it: it rides, signed, in the `Vantage-Caller` header. */
export interface RpcRequestEnvelope<T> {
  idempotency?: RpcIdempotency;
  data: T;
}

@Injectable()
export class RpcClient {
  private readonly encoder = new TextEncoder();
  private readonly decoder = new TextDecoder();

  constructor(
    private readonly nats: NatsClient,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    private readonly identity: ServiceIdentity,
    private readonly directory: ServiceDirectory,
  ) {}

  async request<Req extends object, Res>(
    definition: RpcDefinition<Req, Res>,
    data: Req,
    /**
     * `caller`: the organisation the gateway acts for (only the gateway may; others call as themselves).
     * `signal`: abandons the request when aborted (a long read whose caller has gone), releasing its reply subscription.
     */
    opts: { caller?: CallerIdentity; timeoutMs?: number; idempotency?: RpcIdempotency; signal?: AbortSignal } = {},
  ): Promise<Res> {
    const subject = definition.subject(this.options.config.VANTAGE_NATS_PREFIX);
    // A client span of the trace in hand: the answering service's span is its child (the traceparent header).
    return TraceContext.span(
      { name: `${definition.domain}.${definition.verb} send`, kind: SpanKind.CLIENT, attributes: { 'messaging.system': 'nats', 'messaging.destination.name': subject } },
      () => this.send(definition, subject, data, opts),
    );
  }

  private async send<Req extends object, Res>(
    definition: RpcDefinition<Req, Res>,
    subject: string,
    data: Req,
    opts: { caller?: CallerIdentity; timeoutMs?: number; idempotency?: RpcIdempotency; signal?: AbortSignal },
  ): Promise<Res> {
    const timeout = opts.timeoutMs ?? 5000;
    const h = natsHeaders();
    const trace = TraceContext.current();
    if (trace) {
      h.set('traceparent', trace.traceparent);
      h.set('correlationid', trace.correlationId);
    }
    const body: RpcRequestEnvelope<Req> = { ...(opts.idempotency ? { idempotency: opts.idempotency } : {}), data };
    const target = serviceOfDomain(definition.domain) ?? definition.domain;
    const payload = this.encoder.encode(await this.directory.sealTo(target, JSON.stringify(body), requestContext(subject)));
    const caller = opts.caller;
    h.set(
      CALLER_TOKEN_HEADER,
      await signCallerToken(this.identity, {
        audience: target,
        subject,
        payload,
        ...(caller ? { organisation: { id: caller.orgId, kind: caller.kind, clearance: caller.clearance, keyId: caller.keyId } } : {}),
      }),
    );
    let reply;
    try {
      reply = opts.signal
        ? await this.abandonable(subject, payload, h, timeout, opts.signal)
        : await this.nats.connection.request(subject, payload, { timeout, headers: h });
    } catch (e) {
      if (e instanceof RpcAbandonedError) throw e;
      const code = (e as { code?: string }).code;
      if (code === '503') throw new RpcUnavailableError(subject);
      if (code === 'TIMEOUT') throw new RpcTimeoutError(subject, timeout);
      throw new RpcUnavailableError(subject);
    }
    const answer = await openReply<Res>(this.identity, this.decoder.decode(reply.data), replyContext(subject, payload));
    if (answer.ok) return answer.value;
    throw new DomainError(answer.error.code, answer.error.status, answer.error.message, answer.error.errors);
  }

  /**
   * A request on its own reply subscription, which the signal can end: the connection's shared request inbox offers
   * no way to give up on one request before its timeout, and a pending one holds the connection's drain at shutdown.
   */
  private abandonable(subject: string, payload: Uint8Array, h: MsgHdrs, timeout: number, signal: AbortSignal): Promise<Msg> {
    return new Promise<Msg>((resolve, reject) => {
      if (signal.aborted) return reject(new RpcAbandonedError(subject));
      const connection = this.nats.connection;
      const inbox = this.nats.newInbox();
      const abandon = () => {
        sub.unsubscribe();
        reject(new RpcAbandonedError(subject));
      };
      const sub = connection.subscribe(inbox, {
        max: 1,
        timeout,
        callback: (err, msg) => {
          signal.removeEventListener('abort', abandon);
          if (err) return reject(err);
          // No responder: the server answers with an empty 503 status message, as for connection.request.
          if (msg.data.length === 0 && msg.headers?.code === 503) return reject(Object.assign(new Error('no responders'), { code: '503' }));
          resolve(msg);
        },
      });
      signal.addEventListener('abort', abandon, { once: true });
      connection.publish(subject, payload, { reply: inbox, headers: h });
    });
  }
}

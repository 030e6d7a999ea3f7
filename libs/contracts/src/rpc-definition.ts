// Commands and queries that need an answer: core NATS request-reply on `<prefix>.rpc.<domain>.<verb>`.
import { Domain } from './event-definition';

/**
 * Who may send a request. `organisation`: the gateway (intake), on behalf of the organisation whose API key it
 * checked; the owning service enforces that organisation's rights. `services`: the named services (by the domain
 * each owns), as themselves. The caller's signed identity says which; NATS permissions are made from this too.
 */
export type RpcCallers = { kind: 'organisation' } | { kind: 'services'; services: readonly Domain[] };

export interface RpcDefinition<Req extends object = object, Res = unknown> {
  readonly domain: Domain;
  readonly verb: string;
  readonly callers: RpcCallers;
  readonly request: new () => Req;
  /** Type-only marker of the answer's shape. */
  readonly response?: Res;
  readonly description: string;
  subject(prefix: string): string;
}

export function defineRpc<Req extends object, Res>(spec: {
  domain: Domain;
  verb: string;
  request: new () => Req;
  description: string;
  /** The services that may call, by domain; left out, the gateway calls on behalf of an organisation. */
  calledBy?: readonly Domain[];
}): RpcDefinition<Req, Res> {
  if (!/^[a-z][a-z0-9-]*$/.test(spec.verb)) throw new Error(`bad rpc verb ${spec.verb}`);
  const { calledBy, ...rest } = spec;
  const callers: RpcCallers = calledBy ? { kind: 'services', services: Object.freeze([...calledBy]) } : { kind: 'organisation' };
  return Object.freeze({ ...rest, callers, subject: (prefix: string) => `${prefix}.rpc.${spec.domain}.${spec.verb}` });
}

/** The domain of the service that sends organisations' requests: the gateway. */
export const GATEWAY_DOMAIN: Domain = 'intake';

/** Whether the service owning `domain` may send this request (as itself, or as the gateway for organisations). */
export function mayCall(definition: RpcDefinition<any, any>, domain: Domain): boolean {
  return definition.callers.kind === 'organisation' ? domain === GATEWAY_DOMAIN : definition.callers.services.includes(domain);
}

/**
 * The organisation a request acts for: signed by the gateway (see RpcClient / RpcServer), so the owning service can
 * enforce tenancy itself and trust what it reads.
 */
export interface CallerIdentity {
  orgId: string;
  kind: 'lab' | 'agency' | 'clearinghouse' | 'operator';
  clearance?: 'unclassified' | 'cui' | 'secret' | 'top-secret';
  keyId?: string;
}

/** An RPC answer: the value, or a domain error with a stable code and the HTTP status it maps to. */
export type RpcReply<T> =
  | { ok: true; value: T }
  | { ok: false; error: { code: string; status: number; message: string; errors?: { field: string; message: string }[] } };

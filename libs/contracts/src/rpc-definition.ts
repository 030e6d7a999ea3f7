// Commands and queries that need an answer: core NATS request-reply on `<prefix>.rpc.<domain>.<verb>`.
import { Domain } from './event-definition';

export interface RpcDefinition<Req extends object = object, Res = unknown> {
  readonly domain: Domain;
  readonly verb: string;
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
}): RpcDefinition<Req, Res> {
  if (!/^[a-z][a-z0-9-]*$/.test(spec.verb)) throw new Error(`bad rpc verb ${spec.verb}`);
  return Object.freeze({ ...spec, subject: (prefix: string) => `${prefix}.rpc.${spec.domain}.${spec.verb}` });
}

/** Who is asking, carried with every request so the owning service can enforce tenancy itself. */
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

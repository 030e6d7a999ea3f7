// The gateway's front door for the other services' use cases: it has authenticated the caller and checked
// the request's shape; the owning service decides the rest. It asks over request-reply with the caller's
// identity and a deadline. A domain error comes back as the service meant it; no answer in time is 504,
// nobody answering is 503 — never a hang.
import { Inject, Injectable } from '@nestjs/common';
import { Principal } from '@vantage/auth';
import { CallerIdentity, RpcDefinition } from '@vantage/contracts';
import { RpcClient, RpcIdempotency } from '@vantage/messaging';
import { SERVICE_CONFIG } from '@vantage/runtime';
import { IntakeConfig } from '../config';

@Injectable()
export class Forwarder {
  constructor(
    private readonly rpc: RpcClient,
    @Inject(SERVICE_CONFIG) private readonly config: IntakeConfig,
  ) {}

  forward<Req extends object, Res>(definition: RpcDefinition<Req, Res>, request: Req, caller: Principal, idempotency?: RpcIdempotency): Promise<Res> {
    const identity: CallerIdentity = {
      orgId: caller.orgId,
      kind: caller.kind,
      keyId: caller.keyId,
      ...(caller.clearance ? { clearance: caller.clearance } : {}),
    };
    return this.rpc.request(definition, request, { caller: identity, timeoutMs: this.config.RPC_TIMEOUT_MS, idempotency });
  }
}

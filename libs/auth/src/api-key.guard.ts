// The one check of who is calling: `Authorization: Bearer <key>` → principal, then the route's roles.
// Missing or unknown key: 401. Known key, kind not admitted: 403. A route without @Roles is refused
// (fail closed) unless it is a @PublicRoute (health, metrics, docs). With a FailedAuthLimit, a client address that
// fails too often gets 429 instead, and its next keys cost no lookup until it is under its limit again.
import { CanActivate, ExecutionContext, ForbiddenException, Injectable, Optional, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { OrgKind } from '@vantage/contracts';
import { PUBLIC_ROUTE } from '@vantage/observability';
import { ApiKeyVerifier, FailedAuthLimit, PRINCIPAL_REQUEST_KEY } from './principal';
import { ROLES_KEY } from './roles.decorator';

@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: ApiKeyVerifier,
    @Optional() private readonly failures?: FailedAuthLimit,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = ctx.switchToHttp().getRequest();
    const header: unknown = request.headers?.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    const client = String(request.ip ?? '');
    const principal = match ? await this.verifier.verify(match[1], () => this.failures?.admit(client)) : undefined;
    if (!principal) {
      this.failures?.failed(client);
      throw new UnauthorizedException(match ? 'the API key is not valid' : 'an API key is required: Authorization: Bearer <key>');
    }
    request[PRINCIPAL_REQUEST_KEY] = principal;
    const roles = this.reflector.getAllAndOverride<OrgKind[] | undefined>(ROLES_KEY, targets);
    if (!roles || roles.length === 0) throw new ForbiddenException('this route admits no organisation');
    if (!roles.includes(principal.kind)) {
      throw new ForbiddenException(`this route is for ${roles.join(', ')} organisations; yours is ${principal.kind}`);
    }
    return true;
  }
}

// The one check of who is calling: `Authorization: Bearer <key>` → principal, then the route's roles.
// Missing or unknown key: 401. Known key, kind not admitted: 403. A route without @Roles is refused
// (fail closed) unless it is a @PublicRoute (health, metrics, docs).
import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { OrgKind } from '@vantage/contracts';
import { PUBLIC_ROUTE } from '@vantage/observability';
import { ApiKeyVerifier, PRINCIPAL_REQUEST_KEY } from './principal';
import { ROLES_KEY } from './roles.decorator';

@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: ApiKeyVerifier,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = ctx.switchToHttp().getRequest();
    const header: unknown = request.headers?.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) throw new UnauthorizedException('an API key is required: Authorization: Bearer <key>');
    const principal = await this.verifier.verify(match[1]);
    if (!principal) throw new UnauthorizedException('the API key is not valid');
    request[PRINCIPAL_REQUEST_KEY] = principal;
    const roles = this.reflector.getAllAndOverride<OrgKind[] | undefined>(ROLES_KEY, targets);
    if (!roles || roles.length === 0) throw new ForbiddenException('this route admits no organisation');
    if (!roles.includes(principal.kind)) {
      throw new ForbiddenException(`this route is for ${roles.join(', ')} organisations; yours is ${principal.kind}`);
    }
    return true;
  }
}

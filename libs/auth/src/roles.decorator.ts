import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { OrgKind } from '@vantage/contracts';
import { Principal, PRINCIPAL_REQUEST_KEY } from './principal';

export const ROLES_KEY = 'vantage:roles';

/** The organisation kinds a route admits. Every authenticated route must declare them. */
export const Roles = (...kinds: OrgKind[]) => SetMetadata(ROLES_KEY, kinds);

/** The authenticated caller of the request. */
export const Caller = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  return ctx.switchToHttp().getRequest()[PRINCIPAL_REQUEST_KEY];
});

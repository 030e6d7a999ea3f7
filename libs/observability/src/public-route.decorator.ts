import { CustomDecorator, SetMetadata } from '@nestjs/common';

/** Metadata key an auth guard reads (`reflector.getAllAndOverride(PUBLIC_ROUTE, [handler, class])`) to let a route through. */
export const PUBLIC_ROUTE = 'vantage:public-route';

export const PublicRoute = (): CustomDecorator<string> => SetMetadata(PUBLIC_ROUTE, true);

// Rate limits per API key (per gateway replica): a clear 429 with Retry-After. Health and docs are not limited.
import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { PRINCIPAL_REQUEST_KEY } from '@vantage/auth';
import { PUBLIC_ROUTE } from '@vantage/observability';

@Injectable()
export class KeyThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(req: Record<string, any>): Promise<string> {
    return req[PRINCIPAL_REQUEST_KEY]?.keyId ?? req.ip;
  }

  /** One count per key across every route (the library's default counts per route and key). */
  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `${throttlerName}:${tracker}`;
  }

  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    return this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()]) ?? false;
  }
}

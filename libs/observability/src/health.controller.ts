import { Controller, Get, VERSION_NEUTRAL } from '@nestjs/common';
import { HealthCheck, HealthCheckResult, HealthCheckService, HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { PublicRoute } from './public-route.decorator';
import { BoundedCheck, ReadinessRegistry } from './readiness-registry';

// Version-neutral, like the global-prefix exclusion: probes use the same paths in every service.
@PublicRoute()
@Controller({ path: 'health', version: VERSION_NEUTRAL })
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly readiness: ReadinessRegistry,
  ) {}

  /** The process runs and its event loop turns; nothing else, so a lost dependency never gets it restarted. */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** 200 when every registered check passes; 503 otherwise, with each failing check under `error`. */
  @Get('ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.health.check(this.readiness.list().map((check) => () => this.probe(check)));
  }

  private async probe(check: BoundedCheck): Promise<HealthIndicatorResult> {
    const session = this.indicators.check(check.name);
    try {
      await check.run();
      return session.up();
    } catch (e) {
      return session.down({ message: e instanceof Error ? e.message : String(e) });
    }
  }
}

import { Controller, Get, Header, Res, VERSION_NEUTRAL } from '@nestjs/common';
import { Metrics } from './metrics';
import { PublicRoute } from './public-route.decorator';

@PublicRoute()
@Controller({ version: VERSION_NEUTRAL })
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get('metrics')
  @Header('Cache-Control', 'no-store')
  render(@Res({ passthrough: true }) reply: { header(name: string, value: string): unknown }): Promise<string> {
    reply.header('Content-Type', this.metrics.contentType);
    return this.metrics.render();
  }
}

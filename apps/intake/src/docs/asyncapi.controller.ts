// GET /asyncapi.json: the AsyncAPI document of every event and request-reply subject, as libs/contracts generates it,
// with this deployment's subject prefix and the NATS servers organisations are told to connect to. Public, as
// /openapi.json is: it is documentation, and says nothing an organisation's key would protect.
import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { AsyncApiServer, buildAsyncApi } from '@vantage/contracts';
import { PublicRoute } from '@vantage/observability';
import { SERVICE_CONFIG } from '@vantage/runtime';
import { IntakeConfig } from '../config';

@PublicRoute()
@ApiExcludeController()
@Controller()
export class AsyncApiController {
  private readonly document: string;

  constructor(@Inject(SERVICE_CONFIG) config: IntakeConfig) {
    this.document = JSON.stringify(buildAsyncApi(config.VANTAGE_NATS_PREFIX, feedServers(config.NATS_PUBLIC_URL)));
  }

  @Get('asyncapi.json')
  @Header('content-type', 'application/json; charset=utf-8')
  asyncApi(): string {
    return this.document;
  }
}

/** NATS_PUBLIC_URL (`tls://nats.example:4222,wss://nats.example:443`) as AsyncAPI servers; unset, none is named. */
export function feedServers(urls: string | undefined): Record<string, AsyncApiServer> {
  const servers: Record<string, AsyncApiServer> = {};
  (urls ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean)
    .forEach((u, i) => {
      const url = new URL(u);
      const scheme = url.protocol.replace(/:$/, '');
      servers[`nats${i + 1}`] = {
        host: url.host,
        protocol: scheme === 'ws' || scheme === 'wss' ? scheme : 'nats',
        description: `${scheme === 'tls' || scheme === 'wss' ? 'TLS; ' : ''}where organisations read their feeds (POST /v1/feeds/credentials gives the credentials)`,
      };
    });
  return servers;
}

// Wires a service to NATS: the connection, its streams, the outbox relay, event consumers and request-reply.
import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ServiceDirectory, ServiceIdentity } from '@vantage/crypto';
import { ReadinessRegistry } from '@vantage/observability';
import { ownedStreams, serviceInboxPrefix } from './bus-rights';
import { EventConsumerHost } from './event-consumer-host';
import { EventOutbox } from './event-outbox';
import { MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';
import { NatsClient, readNatsFile } from './nats-client';
import { OutboxRelay } from './outbox-relay';
import { RpcClient } from './rpc-client';
import { RpcServer } from './rpc-server';
import { ensureStreams, streamConfigs } from './streams';

@Injectable()
class NatsLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    private readonly nats: NatsClient,
    private readonly readiness: ReadinessRegistry,
  ) {}

  async onModuleInit(): Promise<void> {
    const c = this.options.config;
    // Only the streams this service owns: its user may not create or change the others (bus-rights.ts). A stream
    // it reads is made by its producer; its consumers wait for it (EventConsumerHost).
    const own = new Set(ownedStreams(this.options.service, c.VANTAGE_NATS_PREFIX));
    await ensureStreams(
      this.nats.manager,
      streamConfigs({
        prefix: c.VANTAGE_NATS_PREFIX,
        replicas: c.NATS_STREAM_REPLICAS,
        storage: c.NATS_STREAM_STORAGE,
        maxAgeDays: c.NATS_STREAM_MAX_AGE_DAYS,
        duplicateWindowMs: c.NATS_DUPLICATE_WINDOW_MS,
      }).filter((s) => own.has(s.name as string)),
    );
    this.readiness.register('nats', async () => {
      if (!this.nats.isUsable) throw new Error('NATS connection is closed');
      await this.nats.connection.flush();
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.nats.drain();
  }
}

@Global()
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingOptions): DynamicModule {
    return {
      module: MessagingModule,
      imports: [DiscoveryModule],
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: options },
        {
          provide: NatsClient,
          useFactory: () =>
            NatsClient.connect({
              url: options.config.NATS_URL,
              name: options.service,
              prefix: options.config.VANTAGE_NATS_PREFIX,
              creds: readNatsFile(options.config.NATS_CREDS_FILE, 'NATS_CREDS_FILE'),
              ...(options.config.NATS_TLS_CA_FILE ? { tlsCa: readNatsFile(options.config.NATS_TLS_CA_FILE, 'NATS_TLS_CA_FILE') } : {}),
              inboxPrefix: serviceInboxPrefix(options.service),
            }),
        },
        { provide: ServiceIdentity, useFactory: () => ServiceIdentity.fromSeed(options.service, options.config.VANTAGE_IDENTITY_KEY) },
        { provide: ServiceDirectory, useFactory: () => ServiceDirectory.parse(options.config.VANTAGE_SERVICE_KEYS) },
        NatsLifecycle,
        EventOutbox,
        OutboxRelay,
        EventConsumerHost,
        RpcServer,
        RpcClient,
      ],
      exports: [MESSAGING_OPTIONS, NatsClient, ServiceIdentity, ServiceDirectory, EventOutbox, OutboxRelay, EventConsumerHost, RpcClient],
    };
  }
}

// A minimal service for exercising the backbone: it consumes `submission.received` and writes one effect
// row per event. It runs under the notifier's identity (any service would do) with its own test table. Its
// request-reply subject is no real contract's, so no service's NATS user has it: tests give the services that
// send or answer it every right (`env.adminCredsFile`), as a test double of "any service" may have.
import { Injectable, Module } from '@nestjs/common';
import { headers as natsHeaders } from 'nats';
import { EntityManager, MigrationInterface, QueryRunner } from 'typeorm';
import { IsString, Length } from 'class-validator';
import {
  Audience, CallerIdentity, createEvent, defineRpc, EventEnvelope, NotFoundError, SubmissionReceived, SubmissionReceivedV1,
} from '@vantage/contracts';
import { loadConfig, ServiceConfig } from '@vantage/config';
import { ClassRef, createOutboxAndInbox } from '@vantage/persistence';
import { ServiceCoreModule, ServiceCoreOptions, ServiceEntry } from '@vantage/runtime';
import { NatsClient, ConsumeEvent, OnRequest, RpcContext } from '@vantage/messaging';

export class BackboneTestSchema1764190000000 implements MigrationInterface {
  name = 'BackboneTestSchema1764190000000';
  async up(q: QueryRunner): Promise<void> {
    await createOutboxAndInbox(q, 'notify');
    await q.query('CREATE TABLE notify.effects (event_id uuid NOT NULL, submission_id uuid NOT NULL, handled_by text NOT NULL)');
  }
  async down(): Promise<void> {
    /* test schema */
  }
}

/** Model names that steer the fixture's handler. */
export const POISON = 'poison'; // always throws
export const FLAKY = 'flaky'; // throws on the first two deliveries
export const OUTAGE = 'outage'; // finds Postgres refusing connections on the first five deliveries
export const STREAM_OUTAGE = 'stream-outage'; // publishes where no stream answers on the first five deliveries

@Injectable()
export class EffectHandlers {
  static instanceCounter = 0;
  readonly instance = `replica-${++EffectHandlers.instanceCounter}`;
  readonly attempts = new Map<string, number>();

  constructor(private readonly nats: NatsClient) {}

  @ConsumeEvent(SubmissionReceived, { purpose: 'effects' })
  async onReceived(event: EventEnvelope<SubmissionReceivedV1>, tx: EntityManager): Promise<void> {
    const n = (this.attempts.get(event.id) ?? 0) + 1;
    this.attempts.set(event.id, n);
    if (event.data.model.name === POISON) throw new Error('this event can never be handled');
    if (event.data.model.name === FLAKY && n <= 2) throw new Error(`transient failure ${n}`);
    if (event.data.model.name === OUTAGE && n <= 5) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    if (event.data.model.name === STREAM_OUTAGE && n <= 5) {
      // A real publish to a subject no stream takes: the server answers 503, as it does while a stream has no leader.
      await this.nats.publishToStreams([{ subject: `${this.nats.prefix}.nowhere.stream-outage`, data: new Uint8Array(0), headers: natsHeaders() }]);
    }
    await tx.query('INSERT INTO effects (event_id, submission_id, handled_by) VALUES ($1, $2, $3)', [
      event.id, event.data.submissionId, this.instance,
    ]);
  }
}

@Injectable()
export class BatchEffectHandlers {
  @ConsumeEvent(SubmissionReceived, { purpose: 'batch-effects', batch: true })
  async onReceived(events: EventEnvelope<SubmissionReceivedV1>[], tx: EntityManager): Promise<void> {
    if (events.some((e) => e.data.model.name === POISON)) throw new Error('a poison event in the batch');
    await tx.query(
      `INSERT INTO effects (event_id, submission_id, handled_by) SELECT unnest($1::uuid[]), unnest($2::uuid[]), 'batch'`,
      [events.map((e) => e.id), events.map((e) => e.data.submissionId)],
    );
  }
}

export class BackboneConfig extends ServiceConfig {}

export function backboneEntry(handlers: ClassRef[]): ServiceEntry<BackboneConfig> & {
  moduleFor: (config: BackboneConfig, opts: Pick<ServiceCoreOptions, 'clock' | 'logStream'>) => any;
} {
  const moduleFor = (config: BackboneConfig, opts: Pick<ServiceCoreOptions, 'clock' | 'logStream'> = {}) => {
    @Module({ providers: handlers as any[] })
    class HandlersModule {}
    return {
      module: class BackboneTestApp {},
      imports: [
        ServiceCoreModule.forRoot({ service: 'notifier', config, entities: [], migrations: [BackboneTestSchema1764190000000], ...opts }),
        HandlersModule,
      ],
    };
  };
  return {
    service: 'notifier',
    loadConfig: () => loadConfig(BackboneConfig),
    module: (config) => moduleFor(config),
    moduleFor,
    entities: [],
    migrations: [BackboneTestSchema1764190000000],
  };
}

let counter = 0;
export function submissionEvent(modelName = 'acme-frontier', time = new Date('2026-11-26T12:00:00Z')): EventEnvelope<SubmissionReceivedV1> {
  counter++;
  const id = `0192f0a0-0000-7000-8000-${String(counter).padStart(12, '0')}`;
  return createEvent(SubmissionReceived, {
    source: 'intake',
    subject: id,
    time,
    audience: Audience.operatorsAnd(['lab1']),
    data: {
      submissionId: id,
      labId: 'lab1',
      model: { name: modelName, version: '1' },
      plannedReleaseAt: '2026-12-20T00:00:00.000Z',
      receivedAt: time.toISOString(),
    },
  });
}

/** A request-reply subject for exercising RpcServer and RpcClient. */
export class EchoRequest {
  @IsString() @Length(1, 20)
  text: string;
}

export interface EchoReply {
  echoed: string;
  caller?: CallerIdentity;
  replica: string;
}

/** The gateway asks it on behalf of an organisation, as most requests are asked; a notifier-shaped service answers. */
export const Echo = defineRpc<EchoRequest, EchoReply>({ domain: 'notify', verb: 'echo-test', request: EchoRequest, description: 'test only' });

@Injectable()
export class EchoHandlers {
  static counter = 0;
  readonly replica = `echo-${++EchoHandlers.counter}`;
  answered = 0;
  /** Requests with text "hang" wait until the test releases them. */
  readonly hanging: (() => void)[] = [];

  @OnRequest(Echo)
  async echo(request: EchoRequest, ctx: RpcContext): Promise<EchoReply> {
    this.answered++;
    if (request.text === 'missing') throw new NotFoundError('the echo');
    if (request.text === 'boom') throw new Error('internal detail: connection string postgres://secret');
    if (request.text === 'outage') throw Object.assign(new Error('connect ECONNREFUSED 10.0.0.7:5432 (postgres://secret)'), { code: 'ECONNREFUSED' });
    if (request.text === 'hang') await new Promise<void>((resolve) => this.hanging.push(resolve));
    return { echoed: request.text, caller: ctx.caller, replica: this.replica };
  }
}

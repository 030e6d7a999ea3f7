// Lets an end-to-end test move a service's clock (VANTAGE_TEST_CLOCK): the service answers
// `<prefix>.test.clock.<service>` requests `{shiftMs}` by shifting its clock and replying with its new time.
// Every replica answers (no queue group), so a test can wait for all of them.
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { JSONCodec, Subscription } from 'nats';
import { Clock, ShiftedClock } from '@vantage/clock';
import { ConfigError, ServiceConfig } from '@vantage/config';
import { NatsClient } from '@vantage/messaging';
import { ServiceName } from '@vantage/persistence';

export const TEST_CLOCK_SERVICE = Symbol('TEST_CLOCK_SERVICE');

export function testClockSubject(prefix: string, service: ServiceName): string {
  return `${prefix}.test.clock.${service}`;
}

/**
 * Refuses VANTAGE_TEST_CLOCK unless NODE_ENV is `test`. Whoever can reach NATS could move a service's clock and so
 * close windows, lapse embargoes and expire keys at will: that must never be on by accident, and "not production"
 * (a missing or misspelt NODE_ENV) is not the same as "a test".
 */
export function assertTestClockAllowed(config: Pick<ServiceConfig, 'VANTAGE_TEST_CLOCK'>, env: { NODE_ENV?: string } = process.env): void {
  const nodeEnv = env.NODE_ENV;
  if (!config.VANTAGE_TEST_CLOCK || nodeEnv === 'test') return;
  throw new ConfigError([
    { variable: 'VANTAGE_TEST_CLOCK', message: `is for tests only: it is refused unless NODE_ENV is test (NODE_ENV is ${nodeEnv === undefined ? 'unset' : `"${nodeEnv}"`})` },
  ]);
}

/** The clock a service runs on: the system clock, or a shiftable one when VANTAGE_TEST_CLOCK is set (tests only). */
export function serviceClock(config: ServiceConfig, env: { NODE_ENV?: string } = process.env): Clock | undefined {
  assertTestClockAllowed(config, env);
  return config.VANTAGE_TEST_CLOCK ? new ShiftedClock() : undefined;
}

@Injectable()
export class TestClockControl implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger(TestClockControl.name);
  private subscription?: Subscription;

  constructor(
    private readonly clock: Clock,
    private readonly nats: NatsClient,
    @Inject(TEST_CLOCK_SERVICE) private readonly service: ServiceName,
  ) {}

  onApplicationBootstrap(): void {
    const clock = this.clock;
    if (!(clock instanceof ShiftedClock)) return;
    const codec = JSONCodec<{ shiftMs?: number; now?: string; error?: string }>();
    const subject = testClockSubject(this.nats.prefix, this.service);
    this.log.warn(`VANTAGE_TEST_CLOCK is on: ${subject} moves this service's clock`);
    this.subscription = this.nats.connection.subscribe(subject, {
      callback: (err, msg) => {
        if (err) return;
        try {
          const { shiftMs } = codec.decode(msg.data);
          clock.shiftTo(Number(shiftMs));
          msg.respond(codec.encode({ now: clock.now().toISOString() }));
        } catch (e) {
          msg.respond(codec.encode({ error: (e as Error).message }));
        }
      },
    });
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }
}

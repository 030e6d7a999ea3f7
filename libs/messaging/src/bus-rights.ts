// What each service may do on the bus, as NATS subject permissions: the one table the NATS users of every
// deployment (npm start, tests, compose, Kubernetes) are made from. A service publishes only its own domain's
// events and its own dead letters, reads only the streams it consumes, sends only the requests its contracts let
// it send (`calledBy` in libs/contracts), answers only its own domain's requests, and receives replies only on its
// own inbox prefix, so no other connection sees the answers it gets (a lab credential sealed to it, a case).
import { Domain, DOMAINS, mayCall, RPC_CATALOGUE } from '@vantage/contracts';
import { domainOf, SERVICE_NAMES, ServiceName } from '@vantage/persistence';
import { deadLetterStreamName, deadLetterSubject, feedStreamName, streamNameOf } from './streams';

/** The streams each service reads with durable consumers (see its @ConsumeEvent handlers). */
export const STREAM_READS: Readonly<Record<ServiceName, readonly Domain[]>> = {
  intake: ['window'],
  'window-scheduler': ['intake'],
  'benchmark-runner': ['intake', 'window'],
  'vuln-clearinghouse': [],
  // Fan-out and feeds take every event there is.
  notifier: DOMAINS,
};

export interface SubjectPermissions {
  publish: string[];
  subscribe: string[];
}

/** Replies to a service's requests (and JetStream's answers to it) come here and nowhere else. */
export function serviceInboxPrefix(service: ServiceName): string {
  return `_INBOX.vantage-${service}`;
}

/** The streams a service creates and keeps configured: its own domain's, the dead letters, and for the notifier the feeds. */
export function ownedStreams(service: ServiceName, prefix: string): string[] {
  return [streamNameOf(prefix, domainOf(service)), deadLetterStreamName(prefix), ...(service === 'notifier' ? [feedStreamName(prefix)] : [])];
}

/**
 * The subjects a service's NATS user may publish and subscribe to. `testClock` adds the subject an end-to-end test
 * moves the service's clock on (VANTAGE_TEST_CLOCK); deployments leave it out.
 */
export function servicePermissions(service: ServiceName, prefix: string, opts: { testClock?: boolean } = {}): SubjectPermissions {
  const domain = domainOf(service);
  const publish = [
    // The JetStream client asks for the account's JetStream status once.
    '$JS.API.INFO',
    `${prefix}.${domain}.>`,
    deadLetterSubject(prefix, service),
  ];
  if (service === 'notifier') publish.push(`${prefix}.feed.>`);
  for (const stream of ownedStreams(service, prefix)) {
    publish.push(`$JS.API.STREAM.INFO.${stream}`, `$JS.API.STREAM.CREATE.${stream}`, `$JS.API.STREAM.UPDATE.${stream}`);
  }
  for (const read of STREAM_READS[service]) {
    const stream = streamNameOf(prefix, read);
    // Durable consumers on the streams it reads: create (the filter rides in the subject on NATS 2.9+), look up,
    // fetch and acknowledge. Consumer names are not restricted further: NATS wildcards match whole tokens only.
    publish.push(
      `$JS.API.CONSUMER.CREATE.${stream}.>`,
      `$JS.API.CONSUMER.DURABLE.CREATE.${stream}.>`,
      `$JS.API.CONSUMER.INFO.${stream}.>`,
      `$JS.API.CONSUMER.MSG.NEXT.${stream}.>`,
      `$JS.ACK.${stream}.>`,
    );
  }
  for (const rpc of RPC_CATALOGUE) if (mayCall(rpc, domain)) publish.push(rpc.subject(prefix));
  const subscribe = [`${serviceInboxPrefix(service)}.>`];
  if (RPC_CATALOGUE.some((rpc) => rpc.domain === domain)) subscribe.push(`${prefix}.rpc.${domain}.>`);
  if (opts.testClock) subscribe.push(`${prefix}.test.clock.${service}`);
  return { publish: unique(publish), subscribe: unique(subscribe) };
}

/** Every service's permissions, for documents and checks. */
export function allServicePermissions(prefix: string, opts: { testClock?: boolean } = {}): Record<ServiceName, SubjectPermissions> {
  return Object.fromEntries(SERVICE_NAMES.map((s) => [s, servicePermissions(s, prefix, opts)])) as Record<ServiceName, SubjectPermissions>;
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}

// Dead letters: the original message, unchanged, on `<prefix>.dlq.<service>` with why it failed in headers.
// The DLQ stream keeps them until an operator replays or discards them.
import { headers as natsHeaders, JsMsg } from 'nats';
import { deadLetterSubject } from './streams';
import { NatsClient } from './nats-client';

export const DLQ_HEADERS = {
  consumer: 'Vantage-Dlq-Consumer',
  reason: 'Vantage-Dlq-Reason',
  error: 'Vantage-Dlq-Error',
  originalSubject: 'Vantage-Dlq-Original-Subject',
  streamSequence: 'Vantage-Dlq-Stream-Sequence',
  deliveries: 'Vantage-Dlq-Deliveries',
} as const;

export type DeadLetterReason = 'malformed' | 'invalid-payload' | 'max-deliver';

export async function sendToDeadLetter(
  nats: NatsClient,
  service: string,
  consumer: string,
  msg: JsMsg,
  reason: DeadLetterReason,
  error: string,
): Promise<void> {
  const h = natsHeaders();
  h.set(DLQ_HEADERS.consumer, consumer);
  h.set(DLQ_HEADERS.reason, reason);
  // Header values are single-line and bounded; the error text never carries payload secrets by design.
  h.set(DLQ_HEADERS.error, error.replace(/[\r\n]+/g, ' ').slice(0, 1000));
  h.set(DLQ_HEADERS.originalSubject, msg.subject);
  h.set(DLQ_HEADERS.streamSequence, String(msg.info.streamSequence));
  h.set(DLQ_HEADERS.deliveries, String(msg.info.deliveryCount));
  for (const key of ['traceparent', 'correlationid']) {
    const v = msg.headers?.get(key);
    if (v) h.set(key, v);
  }
  h.set('Nats-Msg-Id', `dlq:${consumer}:${msg.info.stream}:${msg.info.streamSequence}`);
  await nats.publishToStreams([{ subject: deadLetterSubject(nats.prefix, service), data: msg.data, headers: h }]);
}

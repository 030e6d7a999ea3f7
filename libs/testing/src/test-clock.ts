// Moves the clocks of services running as separate processes with VANTAGE_TEST_CLOCK on (see @vantage/runtime).
import { JSONCodec, RequestStrategy } from 'nats';
import { ServiceName } from '@vantage/persistence';
import { testClockSubject } from '@vantage/runtime';
import { TestEnvironment } from './test-environment';

/**
 * Shifts `service`'s clock to `shiftMs` ahead of real time on each of its `replicas`, and returns the times they
 * answered with once all have moved. Throws if one refuses or does not answer within 5 s.
 */
export async function shiftServiceClock(env: TestEnvironment, service: ServiceName, shiftMs: number, replicas = 1): Promise<Date[]> {
  const nc = await env.nats();
  const codec = JSONCodec<{ shiftMs?: number; now?: string; error?: string }>();
  const answers = await nc.requestMany(testClockSubject(env.prefix, service), codec.encode({ shiftMs }), {
    strategy: RequestStrategy.Count,
    maxMessages: replicas,
    maxWait: 5000,
  });
  const times: Date[] = [];
  for await (const msg of answers) {
    const answer = codec.decode(msg.data);
    if (answer.error || !answer.now) throw new Error(`${service} did not move its clock: ${answer.error ?? 'no answer'}`);
    times.push(new Date(answer.now));
  }
  if (times.length < replicas) throw new Error(`only ${times.length} of ${replicas} ${service} replicas moved their clocks`);
  return times;
}

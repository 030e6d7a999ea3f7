// What a NATS user without a right meets on a real server: the permissions violation the server answers with.
import { ErrorCode, NatsConnection, NatsError } from 'nats';

/** A request or JetStream call the user may not make is refused with a permissions violation. */
export async function refused(attempt: Promise<unknown>): Promise<void> {
  const error = await attempt.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(NatsError);
  expect((error as NatsError).code).toBe(ErrorCode.PermissionsViolation);
}

/** Subscribing where the user may not: the server ends the subscription with a permissions violation. */
export async function subscriptionRefused(nc: NatsConnection, subject: string): Promise<void> {
  const sub = nc.subscribe(subject);
  const ended = await (async () => {
    try {
      for await (const _ of sub) return 'message';
      return 'closed';
    } catch (e) {
      return (e as NatsError).code;
    }
  })();
  expect(ended).toBe(ErrorCode.PermissionsViolation);
}

// Request-reply bodies travel sealed (HPKE, libs/crypto service-identity): a request to the answering service's key,
// bound to its subject; the answer to the asking service's key, bound to that very request. Only the two services
// can read them; NATS, the server included, carries ciphertext. The one answer that goes unsealed is a refusal given
// before the asker is known (its signature did not verify): it carries a code and a reason, nothing else, and an
// asker accepts an unsealed answer only if it is such a refusal.
import { DomainError, RpcReply } from '@vantage/contracts';
import { payloadHash, ServiceIdentity } from '@vantage/crypto';

export function requestContext(subject: string): string {
  return `request ${subject}`;
}

export function replyContext(subject: string, requestPayload: Uint8Array): string {
  return `reply ${subject} ${payloadHash(requestPayload)}`;
}

export function isSealed(text: string): boolean {
  return text.startsWith('h1.');
}

export async function openReply<T>(identity: ServiceIdentity, text: string, context: string): Promise<RpcReply<T>> {
  if (isSealed(text)) return JSON.parse(await identity.open(text, context)) as RpcReply<T>;
  let plain: RpcReply<T> | undefined;
  try {
    plain = JSON.parse(text) as RpcReply<T>;
  } catch {
    plain = undefined;
  }
  if (plain && plain.ok === false) return plain;
  throw new DomainError('unsealed_answer', 502, 'the answering service sent an answer that was not sealed to this service');
}

// Every event and request-reply subject Vantage defines: the source for consumers, docs and checks.
import { EventDefinition } from './event-definition';
import { RpcDefinition } from './rpc-definition';
import { SubmissionReceived } from './events/intake.events';

export const EVENT_CATALOGUE: readonly EventDefinition<any>[] = [SubmissionReceived];

export const RPC_CATALOGUE: readonly RpcDefinition<any, any>[] = [];

export function findEventDefinition(type: string): EventDefinition<any> | undefined {
  return EVENT_CATALOGUE.find((d) => d.type === type);
}

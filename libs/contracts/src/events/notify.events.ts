// Events the notifier publishes about webhook endpoints.
import { IsIn, IsString, IsUUID, Length } from 'class-validator';
import { defineEvent } from '../event-definition';
import { IsRfc3339 } from '../validation';

export const ENDPOINT_DISABLED_REASONS = ['gone', 'failing'] as const;
export type EndpointDisabledReason = (typeof ENDPOINT_DISABLED_REASONS)[number];

export class EndpointDisabledV1 {
  @IsUUID()
  subscriptionId: string;

  @IsString() @Length(1, 64)
  orgId: string;

  @IsString() @Length(1, 2000)
  url: string;

  /** `gone`: the endpoint answered 410; `failing`: every attempt to it failed for five days. */
  @IsIn(ENDPOINT_DISABLED_REASONS as unknown as string[])
  reason: EndpointDisabledReason;

  @IsRfc3339()
  disabledAt: string;
}

export const EndpointDisabled = defineEvent({
  domain: 'notify',
  entity: 'endpoint',
  event: 'disabled',
  version: 1,
  payload: EndpointDisabledV1,
  description: 'A webhook subscription stopped receiving deliveries (410 Gone, or failing for five days). Sent to its owner only.',
});

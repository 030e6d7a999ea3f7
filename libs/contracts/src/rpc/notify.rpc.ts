// Request-reply subjects the notifier answers (the gateway forwards its subscription routes here).
// The notifier checks that a subscription is the caller's own; anyone else's is simply not found.
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { defineRpc } from '../rpc-definition';
import { IsRfc3339 } from '../validation';

export const SUBSCRIPTION_STATES = ['active', 'disabled'] as const;
export type SubscriptionState = (typeof SUBSCRIPTION_STATES)[number];

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface SubscriptionView {
  id: string;
  url: string;
  types: string[];
  state: SubscriptionState;
  disabledReason?: string;
  disabledAt?: string;
  createdAt: string;
}

/** The answer to creation: the only time the signing secret is shown. */
export interface CreatedSubscription {
  id: string;
  url: string;
  types: string[];
  secret: string;
  createdAt: string;
}

export interface RotatedSecret {
  id: string;
  secret: string;
  /** Until then the previous secret signs alongside the new one. */
  previousSecretExpiresAt: string;
}

export interface DeliveryAttemptView {
  attempt: number;
  at: string;
  statusCode?: number;
  latencyMs: number;
  error?: string;
}

export interface DeliveryView {
  id: string;
  eventId: string;
  eventType: string;
  status: DeliveryStatus;
  replay: boolean;
  createdAt: string;
  nextAttemptAt?: string;
  completedAt?: string;
  attempts: DeliveryAttemptView[];
}

export class CreateSubscriptionRequest {
  @IsString() @Length(1, 2000)
  url: string;

  /** Exact event types, or prefixes ending in `*` that match any remainder (`gov.vantage.window.*`). */
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @IsString({ each: true })
  types: string[];
}

export const CreateSubscription = defineRpc<CreateSubscriptionRequest, CreatedSubscription>({
  domain: 'notify',
  verb: 'create-subscription',
  request: CreateSubscriptionRequest,
  description: "Subscribes a webhook URL to event types for the caller's organisation; answers the signing secret once.",
});

export class ListSubscriptionsRequest {
  @IsOptional() @IsIn(SUBSCRIPTION_STATES as unknown as string[])
  state?: SubscriptionState;
}

export const ListSubscriptions = defineRpc<ListSubscriptionsRequest, { items: SubscriptionView[] }>({
  domain: 'notify',
  verb: 'list-subscriptions',
  request: ListSubscriptionsRequest,
  description: "The caller's organisation's webhook subscriptions (never their secrets).",
});

export class SubscriptionIdRequest {
  @IsUUID()
  subscriptionId: string;
}

export const DeleteSubscription = defineRpc<SubscriptionIdRequest, null>({
  domain: 'notify',
  verb: 'delete-subscription',
  request: SubscriptionIdRequest,
  description: 'Deletes one of your subscriptions with its delivery log; nothing more is sent to it.',
});

export const RotateSubscriptionSecret = defineRpc<SubscriptionIdRequest, RotatedSecret>({
  domain: 'notify',
  verb: 'rotate-secret',
  request: SubscriptionIdRequest,
  description: 'A new signing secret, shown once; the previous one keeps signing alongside for 24 hours.',
});

export class ListDeliveriesRequest {
  @IsUUID()
  subscriptionId: string;

  @IsOptional() @IsIn(DELIVERY_STATUSES as unknown as string[])
  status?: DeliveryStatus;
}

export const ListDeliveries = defineRpc<ListDeliveriesRequest, { items: DeliveryView[] }>({
  domain: 'notify',
  verb: 'list-deliveries',
  request: ListDeliveriesRequest,
  description: 'The delivery log of one of your subscriptions, newest first, with every attempt.',
});

export class ReplayDeliveriesRequest {
  @IsUUID()
  subscriptionId: string;

  @IsRfc3339()
  since: string;

  /** Goes on where the previous replay from the same `since` stopped (its `nextCursor`). */
  @IsOptional() @IsString() @Length(1, 200)
  cursor?: string;
}

/**
 * One replay looks at a bounded number of events (the notifier's REPLAY_MAX_EVENTS). When there are more,
 * `nextCursor` says where to go on: replay again with the same `since` and this cursor.
 */
export interface ReplayedDeliveries {
  queued: number;
  nextCursor?: string;
}

export const ReplayDeliveries = defineRpc<ReplayDeliveriesRequest, ReplayedDeliveries>({
  domain: 'notify',
  verb: 'replay',
  request: ReplayDeliveriesRequest,
  description:
    'Delivers again, to one of your subscriptions, every matching event you may see since a time, a bounded number of events per ' +
    'request: with `nextCursor` in the answer, ask again with it to go on.',
});

// The notifier's answers as the gateway documents them: mirrors of SubscriptionView, CreatedSubscription,
// RotatedSecret and DeliveryView in libs/contracts (views-mirror-contracts.spec.ts holds them to it).
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import {
  CreatedSubscription, DELIVERY_STATUSES, DeliveryAttemptView, DeliveryStatus, DeliveryView, ENDPOINT_DISABLED_REASONS, EXAMPLE_IDS, RotatedSecret,
  SUBSCRIPTION_STATES, SubscriptionState, SubscriptionView,
} from '@vantage/contracts';

const ids = EXAMPLE_IDS;

@ApiSchema({ name: 'SubscriptionView' })
export class SubscriptionViewDoc implements SubscriptionView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'https://hooks.agency-a.example/vantage' }) url: string;
  @ApiProperty({ type: [String], example: ['gov.vantage.window.*'], description: 'Exact event types, or prefixes ending in *' }) types: string[];
  @ApiProperty({ enum: SUBSCRIPTION_STATES }) state: SubscriptionState;
  @ApiPropertyOptional({ enum: ENDPOINT_DISABLED_REASONS, description: 'gone: the endpoint answered 410; failing: every attempt failed for five days' })
  disabledReason?: string;
  @ApiPropertyOptional({ format: 'date-time' }) disabledAt?: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

@ApiSchema({ name: 'SubscriptionPage' })
export class SubscriptionPageDoc {
  @ApiProperty({ type: [SubscriptionViewDoc] }) items: SubscriptionViewDoc[];
}

@ApiSchema({ name: 'CreatedSubscription' })
export class CreatedSubscriptionDoc implements CreatedSubscription {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() url: string;
  @ApiProperty({ type: [String] }) types: string[];
  @ApiProperty({ description: 'The Standard Webhooks signing secret (whsec_…). Shown this once.', example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }) secret: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

@ApiSchema({ name: 'RotatedSecret' })
export class RotatedSecretDoc implements RotatedSecret {
  @ApiProperty({ format: 'uuid', description: 'The subscription' }) id: string;
  @ApiProperty({ description: 'The new signing secret (whsec_…). Shown this once.' }) secret: string;
  @ApiProperty({ format: 'date-time', description: 'Until then the previous secret signs alongside the new one' }) previousSecretExpiresAt: string;
}

@ApiSchema({ name: 'DeliveryAttempt' })
export class DeliveryAttemptDoc implements DeliveryAttemptView {
  @ApiProperty({ description: '1, 2, …' }) attempt: number;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiPropertyOptional({ description: "The endpoint's status; absent when it did not answer" }) statusCode?: number;
  @ApiProperty() latencyMs: number;
  @ApiPropertyOptional({ description: 'Why the attempt failed, when it did' }) error?: string;
}

@ApiSchema({ name: 'DeliveryView' })
export class DeliveryViewDoc implements DeliveryView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid', description: 'The event (also the webhook-id header)' }) eventId: string;
  @ApiProperty({ example: 'gov.vantage.window.window.opened.v1' }) eventType: string;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status: DeliveryStatus;
  @ApiProperty({ description: 'Sent again by a replay' }) replay: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'When a pending delivery is tried next' }) nextAttemptAt?: string;
  @ApiPropertyOptional({ format: 'date-time' }) completedAt?: string;
  @ApiProperty({ type: [DeliveryAttemptDoc] }) attempts: DeliveryAttemptDoc[];
}

@ApiSchema({ name: 'DeliveryPage' })
export class DeliveryPageDoc {
  @ApiProperty({ type: [DeliveryViewDoc], description: 'Newest first' }) items: DeliveryViewDoc[];
}

@ApiSchema({ name: 'ReplayQueued' })
export class ReplayQueuedDoc {
  @ApiProperty({ description: 'Deliveries queued', example: 12 }) queued: number;
  @ApiPropertyOptional({ description: 'More events are left: replay again with the same since and this cursor' }) nextCursor?: string;
}

export const CREATE_SUBSCRIPTION_EXAMPLE = { url: 'https://hooks.agency-a.example/vantage', types: ['gov.vantage.window.*', 'gov.vantage.bench.model.classified.v2'] };

export const CREATED_SUBSCRIPTION_EXAMPLE: CreatedSubscription = {
  id: ids.subscription,
  ...CREATE_SUBSCRIPTION_EXAMPLE,
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  createdAt: '2026-11-26T12:05:00.000Z',
};

export const SUBSCRIPTION_EXAMPLE: SubscriptionView = { id: ids.subscription, ...CREATE_SUBSCRIPTION_EXAMPLE, state: 'active', createdAt: '2026-11-26T12:05:00.000Z' };

export const ROTATED_SECRET_EXAMPLE: RotatedSecret = {
  id: ids.subscription,
  secret: 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD',
  previousSecretExpiresAt: '2026-12-02T09:00:00.000Z',
};

export const DELIVERY_EXAMPLE: DeliveryView = {
  id: ids.delivery,
  eventId: ids.event,
  eventType: 'gov.vantage.window.window.opened.v1',
  status: 'succeeded',
  replay: false,
  createdAt: '2026-11-28T00:00:00.120Z',
  completedAt: '2026-11-28T00:00:31.402Z',
  attempts: [
    { attempt: 1, at: '2026-11-28T00:00:00.180Z', statusCode: 503, latencyMs: 412, error: 'endpoint answered 503' },
    { attempt: 2, at: '2026-11-28T00:00:31.050Z', statusCode: 204, latencyMs: 352 },
  ],
};

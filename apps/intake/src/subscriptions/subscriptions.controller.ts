// The webhook subscription routes: the gateway authenticates and checks the shape; the notifier, which owns
// subscriptions, checks that each one is the caller's own (forwarded over request-reply with the caller).
import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { Caller, Principal, Roles } from '@vantage/auth';
import {
  CreatedSubscription, CreateSubscription, CreateSubscriptionRequest, DELIVERY_STATUSES, DeleteSubscription, DeliveryStatus,
  DeliveryView, IsRfc3339, ListDeliveries, ListSubscriptions, ReplayDeliveries, ReplayedDeliveries, RotatedSecret, RotateSubscriptionSecret,
  SUBSCRIPTION_STATES, SubscriptionState, SubscriptionView,
} from '@vantage/contracts';
import { ApiIdempotencyKey, ApiProblems } from '../http/api-problems.decorator';
import { EntityIdPipe } from '../http/entity-id.pipe';
import { Forwarder } from '../http/forwarder';
import { forwardedIdempotency } from '../http/idempotency';
import {
  CREATE_SUBSCRIPTION_EXAMPLE, CREATED_SUBSCRIPTION_EXAMPLE, CreatedSubscriptionDoc, DELIVERY_EXAMPLE, DeliveryPageDoc, ReplayQueuedDoc, ROTATED_SECRET_EXAMPLE,
  RotatedSecretDoc, SUBSCRIPTION_EXAMPLE, SubscriptionPageDoc,
} from './dto/subscription.views';

class DeliveriesQuery {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @IsOptional() @IsIn(DELIVERY_STATUSES as unknown as string[])
  status?: DeliveryStatus;
}

class ListSubscriptionsQuery {
  @ApiPropertyOptional({ enum: SUBSCRIPTION_STATES })
  @IsOptional() @IsIn(SUBSCRIPTION_STATES as unknown as string[])
  state?: SubscriptionState;
}

class ReplayDeliveriesBody {
  @ApiProperty({ example: '2026-11-26T00:00:00Z' })
  @IsRfc3339()
  since: string;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous replay from the same since, to go on where it stopped' })
  @IsOptional() @IsString() @Length(1, 200)
  cursor?: string;
}

@ApiTags('subscriptions')
@ApiBearerAuth()
@Controller('v1/subscriptions')
export class SubscriptionsController {
  constructor(private readonly forwarder: Forwarder) {}

  @Post()
  @HttpCode(201)
  @Roles('agency', 'lab')
  @ApiOperation({
    operationId: 'createSubscription',
    summary:
      'Subscribe a webhook URL to event types (exact, or a prefix ending in *). Answers the signing secret once. An organisation holds ' +
      'at most 100 subscriptions by default (422 subscription_limit_reached). Roles: agency, lab.',
    description:
      'Each delivery is a POST of the CloudEvent JSON with `webhook-id`, `webhook-timestamp` and `webhook-signature` headers (Standard Webhooks), ' +
      'retried with backoff until the endpoint answers 2xx. An organisation receives only the events it may see. The event types and their payloads are in `/asyncapi.json`.',
  })
  @ApiIdempotencyKey()
  @ApiBody({ type: CreateSubscriptionRequest, examples: { windows: { summary: 'Window events and the frontier decision', value: CREATE_SUBSCRIPTION_EXAMPLE } } })
  @ApiCreatedResponse({ type: CreatedSubscriptionDoc, description: 'The subscription, with its signing secret (shown this once)', example: CREATED_SUBSCRIPTION_EXAMPLE })
  @ApiProblems(400, 401, 403, 409, 422, 429, 503, 504)
  create(@Caller() caller: Principal, @Body() body: CreateSubscriptionRequest, @Headers('idempotency-key') key?: string): Promise<CreatedSubscription> {
    const request = { url: body.url, types: body.types };
    return this.forwarder.forward(CreateSubscription, request, caller, forwardedIdempotency(key, request));
  }

  @Get()
  @Roles('agency', 'lab')
  @ApiOperation({ operationId: 'listSubscriptions', summary: "Your organisation's subscriptions (?state=active|disabled). Roles: agency, lab." })
  @ApiOkResponse({ type: SubscriptionPageDoc, description: 'Your subscriptions (never their secrets)', example: { items: [SUBSCRIPTION_EXAMPLE] } })
  @ApiProblems(400, 401, 403, 429, 503, 504)
  list(@Caller() caller: Principal, @Query() query: ListSubscriptionsQuery): Promise<{ items: SubscriptionView[] }> {
    return this.forwarder.forward(ListSubscriptions, { ...(query.state ? { state: query.state } : {}) }, caller);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('agency', 'lab')
  @ApiOperation({ operationId: 'deleteSubscription', summary: 'Delete one of your subscriptions and its delivery log. Roles: agency, lab.' })
  @ApiNoContentResponse({ description: 'Deleted: nothing more is sent to it' })
  @ApiProblems(401, 403, 404, 429, 503, 504)
  async remove(@Caller() caller: Principal, @Param('id', EntityIdPipe) id: string): Promise<void> {
    await this.forwarder.forward(DeleteSubscription, { subscriptionId: id }, caller);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @Roles('agency', 'lab')
  @ApiOperation({ operationId: 'rotateSubscriptionSecret', summary: 'A new signing secret, shown once; the previous one keeps signing alongside for 24 hours. Roles: agency, lab.' })
  @ApiOkResponse({ type: RotatedSecretDoc, description: 'The new secret (shown this once)', example: ROTATED_SECRET_EXAMPLE })
  @ApiProblems(401, 403, 404, 429, 503, 504)
  rotate(@Caller() caller: Principal, @Param('id', EntityIdPipe) id: string): Promise<RotatedSecret> {
    return this.forwarder.forward(RotateSubscriptionSecret, { subscriptionId: id }, caller);
  }

  @Get(':id/deliveries')
  @Roles('agency', 'lab')
  @ApiOperation({ operationId: 'listDeliveries', summary: 'The delivery log of one of your subscriptions, with every attempt. Roles: agency, lab.' })
  @ApiOkResponse({ type: DeliveryPageDoc, description: 'The newest deliveries, with their attempts', example: { items: [DELIVERY_EXAMPLE] } })
  @ApiProblems(400, 401, 403, 404, 429, 503, 504)
  deliveries(@Caller() caller: Principal, @Param('id', EntityIdPipe) id: string, @Query() query: DeliveriesQuery): Promise<{ items: DeliveryView[] }> {
    return this.forwarder.forward(ListDeliveries, { subscriptionId: id, ...(query.status ? { status: query.status } : {}) }, caller);
  }

  @Post(':id/replay')
  @HttpCode(202)
  @Roles('agency', 'lab')
  @ApiOperation({
    operationId: 'replayDeliveries',
    summary:
      'Deliver again every matching event you may see since a time. One request looks at a bounded number of events (10,000 by ' +
      'default); when more are left the answer has a nextCursor: replay again with the same since and that cursor. Roles: agency, lab.',
  })
  @ApiBody({ type: ReplayDeliveriesBody, examples: { lastDay: { summary: 'Everything since yesterday', value: { since: '2026-11-27T00:00:00Z' } } } })
  @ApiAcceptedResponse({ type: ReplayQueuedDoc, description: 'Queued; the deliveries follow (replay: true in the log)', example: { queued: 12 } })
  @ApiProblems(400, 401, 403, 404, 422, 429, 503, 504)
  replay(@Caller() caller: Principal, @Param('id', EntityIdPipe) id: string, @Body() body: ReplayDeliveriesBody): Promise<ReplayedDeliveries> {
    return this.forwarder.forward(ReplayDeliveries, { subscriptionId: id, since: body.since, ...(body.cursor !== undefined ? { cursor: body.cursor } : {}) }, caller);
  }
}

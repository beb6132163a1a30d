import { Global, Module, OnModuleInit } from '@nestjs/common';
import { validateParams } from '../common/validation/param-validation.js';
import { ResumableEndpoints } from '../idempotency/resumable-endpoints.js';
import { CreateWebhookEndpointDto, UpdateWebhookEndpointDto } from './dto/webhook-endpoint.dto.js';
import { EventsController } from './events.controller.js';
import { EventsService } from './events.service.js';
import { WebhookDispatcher } from './webhook-dispatcher.js';
import { WebhookEndpointsController } from './webhook-endpoints.controller.js';
import { WebhookEndpointsService } from './webhook-endpoints.service.js';

@Global()
@Module({
  controllers: [EventsController, WebhookEndpointsController],
  providers: [EventsService, WebhookDispatcher, WebhookEndpointsService],
  exports: [EventsService, WebhookDispatcher],
})
export class EventsModule implements OnModuleInit {
  constructor(
    private readonly endpoints: ResumableEndpoints,
    private readonly webhookEndpoints: WebhookEndpointsService,
  ) {}

  onModuleInit(): void {
    this.endpoints.register('/v1/webhook_endpoints', (ctx, p) => this.webhookEndpoints.create(ctx, validateParams(CreateWebhookEndpointDto, p)));
    this.endpoints.register('/v1/webhook_endpoints/:id', (ctx, p, { id }) =>
      this.webhookEndpoints.update(ctx, id, validateParams(UpdateWebhookEndpointDto, p)),
    );
  }
}

import { Module } from '@nestjs/common';
import { WebhookDeliveriesControlController } from './webhook-deliveries-control.controller.js';
import { WebhookDeliveriesControlService } from './webhook-deliveries-control.service.js';

/** The webhook part of the control API; only mounted when CONTROL_API is on. */
@Module({ controllers: [WebhookDeliveriesControlController], providers: [WebhookDeliveriesControlService] })
export class EventsControlModule {}

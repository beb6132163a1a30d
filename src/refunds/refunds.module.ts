import { Module, OnModuleInit } from '@nestjs/common';
import { validateParams } from '../common/validation/param-validation.js';
import { ChargesModule } from '../charges/charges.module.js';
import { ResumableEndpoints, type EndpointShape } from '../idempotency/resumable-endpoints.js';
import { RecoveryPoint } from '../idempotency/recovery-point.js';
import { CreateChargeRefundDto, CreateRefundDto } from './dto/create-refund.dto.js';
import { CancelRefundDto } from './dto/cancel-refund.dto.js';
import { UpdateRefundDto } from './dto/update-refund.dto.js';
import { RefundExpander } from './refund-expander.js';
import { RefundsController } from './refunds.controller.js';
import { RefundsService } from './refunds.service.js';

const REFUND_SHAPE: EndpointShape = {
  recoveryPoints: [RecoveryPoint.Started, RecoveryPoint.RefundCreated, RecoveryPoint.RefundProcessed, RecoveryPoint.Finished],
  callsNetwork: true,
};

/** A cancel is always refused: it commits no recovery point, so no crash fault could fire there. */
const ALWAYS_REFUSED: EndpointShape = { recoveryPoints: [], callsNetwork: false };

@Module({
  imports: [ChargesModule],
  controllers: [RefundsController],
  providers: [RefundsService, RefundExpander],
})
export class RefundsModule implements OnModuleInit {
  constructor(
    private readonly endpoints: ResumableEndpoints,
    private readonly refunds: RefundsService,
  ) {}

  onModuleInit(): void {
    this.endpoints.register(
      '/v1/refunds',
      (ctx, p) => {
        return this.refunds.createOf(ctx, validateParams(CreateRefundDto, p));
      },
      REFUND_SHAPE,
    );
    this.endpoints.register(
      '/v1/charges/:id/refunds',
      (ctx, p, { id }) => this.refunds.create(ctx, id, validateParams(CreateChargeRefundDto, p), 'id'),
      REFUND_SHAPE,
    );
    this.endpoints.register('/v1/refunds/:id', (ctx, p, { id }) => this.refunds.update(ctx, id, validateParams(UpdateRefundDto, p)));
    this.endpoints.register('/v1/refunds/:id/cancel', (ctx, p, { id }) => this.refunds.cancel(ctx, id, validateParams(CancelRefundDto, p)), ALWAYS_REFUSED);
    this.endpoints.register('/v1/charges/:id/refunds/:refund', (ctx, p, { id, refund }) =>
      this.refunds.update(ctx, refund, validateParams(UpdateRefundDto, p), id),
    );
    this.endpoints.registerKeyless({
      path: '/v1/refunds',
      find: (tx, createdBefore, limit) => this.refunds.findKeylessUnfinished(tx, createdBefore, limit),
      inFlight: this.refunds.keylessInFlight,
      resume: (ctx, id) => this.refunds.resumeKeyless(ctx, id),
    });
  }
}

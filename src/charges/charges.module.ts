import { Module, OnModuleInit } from '@nestjs/common';
import { validateParams } from '../common/validation/param-validation.js';
import { CustomersModule } from '../customers/customers.module.js';
import { ResumableEndpoints } from '../idempotency/resumable-endpoints.js';
import { RecoveryPoint } from '../idempotency/recovery-point.js';
import { RefundsRepository } from '../refunds/refunds.repository.js';
import { ChargeExpander } from './charge-expander.js';
import { ChargeJsonCache } from './charge-json.cache.js';
import { ChargesController } from './charges.controller.js';
import { ChargesRepository } from './charges.repository.js';
import { ChargesService } from './charges.service.js';
import { CaptureChargeDto } from './dto/capture-charge.dto.js';
import { CreateChargeDto } from './dto/create-charge.dto.js';
import { UpdateChargeDto } from './dto/update-charge.dto.js';

@Module({
  imports: [CustomersModule],
  controllers: [ChargesController],
  providers: [ChargesService, ChargesRepository, RefundsRepository, ChargeJsonCache, ChargeExpander],
  exports: [ChargesService, ChargesRepository, RefundsRepository, ChargeJsonCache, ChargeExpander],
})
export class ChargesModule implements OnModuleInit {
  constructor(
    private readonly endpoints: ResumableEndpoints,
    private readonly charges: ChargesService,
  ) {}

  onModuleInit(): void {
    this.endpoints.register('/v1/charges', (ctx, p) => this.charges.create(ctx, validateParams(CreateChargeDto, p)), {
      recoveryPoints: [RecoveryPoint.Started, RecoveryPoint.ChargeCreated, RecoveryPoint.PaymentProcessed, RecoveryPoint.Finished],
      callsNetwork: true,
    });
    this.endpoints.register('/v1/charges/:id/capture', (ctx, p, { id }) => this.charges.capture(ctx, id, validateParams(CaptureChargeDto, p)), {
      recoveryPoints: [RecoveryPoint.Started, RecoveryPoint.CaptureRequested, RecoveryPoint.Finished],
      callsNetwork: true,
    });
    this.endpoints.register('/v1/charges/:id', (ctx, p, { id }) => this.charges.update(ctx, id, validateParams(UpdateChargeDto, p)));
    this.endpoints.registerKeyless({
      path: '/v1/charges/:id/capture',
      find: (tx, notedBefore, limit) => this.charges.findKeylessCaptures(tx, notedBefore, limit),
      // A capture running or queued here finishes the note itself, or leaves it for a later sweep.
      inFlight: this.charges.capturesInFlight,
      resume: (ctx, id) => this.charges.resumeKeylessCapture(ctx, id),
    });
    this.endpoints.registerKeyless({
      path: '/v1/charges',
      find: (tx, createdBefore, limit) => this.charges.findKeylessUnfinished(tx, createdBefore, limit),
      inFlight: this.charges.keylessInFlight,
      resume: (ctx, id) => this.charges.resumeKeyless(ctx, id),
    });
  }
}

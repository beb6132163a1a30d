import { Injectable } from '@nestjs/common';
import { ApiError } from '../common/errors/stripe-error.js';
import { Messages } from '../common/errors/messages.js';
import type { RequestContext } from '../common/http/request-context.js';
import { FaultsService } from '../faults/faults.service.js';
import { Authorization, CardOnFile, NetworkAck, SimulatedCardNetwork } from './simulated-card-network.js';

/**
 * oncepay's side of the wire to the card network. This is where the `processor_timeout` fault bites:
 * the network has done the work, but its answer never arrives, so oncepay cannot know the outcome.
 */
@Injectable()
export class CardNetworkClient {
  constructor(
    private readonly network: SimulatedCardNetwork,
    private readonly faults: FaultsService,
  ) {}

  async authorize(ctx: RequestContext, chargeId: string, amount: number, card: CardOnFile): Promise<Authorization> {
    return this.answerOrTimeout(ctx, await this.network.authorize(ctx.account, chargeId, amount, card), () => Messages.cardNetworkTimeoutKeyless('charge', chargeId));
  }

  async capture(ctx: RequestContext, chargeId: string, amount: number): Promise<NetworkAck> {
    // Safe to retry even without a key: the network captures a charge once.
    return this.answerOrTimeout(ctx, await this.network.capture(ctx.account, chargeId, amount), () => Messages.captureTimeoutKeyless(chargeId), true);
  }

  async refund(ctx: RequestContext, refundId: string, amount: number): Promise<NetworkAck> {
    return this.answerOrTimeout(ctx, await this.network.refund(ctx.account, refundId, amount), () => Messages.cardNetworkTimeoutKeyless('refund', refundId));
  }

  /**
   * `keyless`: what to tell a client without a key, who cannot resume the request by retrying it, and
   * `keylessRetrySafe` whether sending it again is safe all the same.
   */
  private answerOrTimeout<T>(ctx: RequestContext, answer: T, keyless: () => string, keylessRetrySafe = false): T {
    if (this.faults.take(ctx.account, ctx.paths, 'processor_timeout')) {
      throw ctx.idempotency ? ApiError.ambiguous(Messages.cardNetworkTimeout(ctx.idempotency.key), true) : ApiError.ambiguous(keyless(), keylessRetrySafe);
    }
    return answer;
  }
}

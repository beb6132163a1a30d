import { Injectable } from '@nestjs/common';
import { ResourceMissingError } from '../common/errors/stripe-error.js';
import { nowSeconds } from '../common/ids.js';
import { ChargesRepository } from '../charges/charges.repository.js';
import { serializeCharge } from '../charges/charge.serializer.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { RefundsRepository } from '../refunds/refunds.repository.js';
import { chargeBalanceTransaction, possibleSourcesOf, refundBalanceTransaction } from './balance-transaction.serializer.js';

/**
 * Balance transactions are not stored: each is derived from the captured charge or the refund that made
 * it, which keeps its id (`balance_transaction`), itself made from the source's id.
 */
@Injectable()
export class BalanceTransactionsService {
  constructor(
    private readonly db: TransactionRunner,
    private readonly charges: ChargesRepository,
    private readonly refunds: RefundsRepository,
  ) {}

  retrieve(account: string, id: string) {
    return this.db.read((tx) => {
      const sources = possibleSourcesOf(id);
      const charge = this.charges.find(tx, account, sources.charge);
      if (charge?.balance_transaction === id) return chargeBalanceTransaction(id, serializeCharge(charge), nowSeconds());
      const refund = this.refunds.find(tx, account, sources.refund);
      if (refund?.balance_transaction === id) {
        return refundBalanceTransaction(id, refund, this.charges.find(tx, account, refund.charge_id)?.description ?? null);
      }
      // An id an older build made at random names no source: finding it would take a scan of the account,
      // which would hold up every request meanwhile. Its charge or refund still expands it.
      throw new ResourceMissingError('balance_transaction', id);
    });
  }
}

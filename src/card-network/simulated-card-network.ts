import { Inject, Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { randomText } from '../common/ids.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { DECLINES, type Decline, type RiskLevel } from './test-cards.js';

export interface CardOnFile {
  /** The test behaviour recorded when the card was tokenised (null: approves). */
  decline: Decline | null;
  exp_month: number;
  exp_year: number;
  riskLevel: RiskLevel;
}

export interface Authorization {
  approved: boolean;
  decline: Decline | null;
  authorizationCode: string | null;
  networkTransactionId: string;
  /** Absent from answers recorded before risk levels were simulated: those were all normal. */
  riskLevel?: RiskLevel;
}

export interface NetworkAck {
  ok: true;
  /** The amount the network moved (on a repeat: the first request's amount). */
  amount: number;
  networkTransactionId: string;
}

/**
 * The "foreign system" a charge mutates. Like a real processor called with an idempotency key, it is
 * idempotent on oncepay's charge or refund id: asked again, it answers what it answered the first
 * time and moves no more money. Its latency is configurable so demos can show requests in flight.
 */
@Injectable()
export class SimulatedCardNetwork {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: TransactionRunner,
  ) {}

  async authorize(account: string, chargeId: string, amount: number, card: CardOnFile): Promise<Authorization> {
    return this.once('authorize', chargeId, account, amount, () => {
      const decline = card.decline ?? (isExpired(card) ? DECLINES.expired : null);
      return {
        approved: decline === null,
        decline,
        authorizationCode: decline ? null : randomText('123456789', 1) + randomText('0123456789', 5),
        networkTransactionId: networkId(),
        riskLevel: card.riskLevel,
      };
    });
  }

  async capture(account: string, chargeId: string, amount: number): Promise<NetworkAck> {
    return this.once('capture', chargeId, account, amount, () => ({ ok: true as const, amount, networkTransactionId: networkId() }));
  }

  async refund(account: string, refundId: string, amount: number): Promise<NetworkAck> {
    return this.once('refund', refundId, account, amount, () => ({ ok: true as const, amount, networkTransactionId: networkId() }));
  }

  /** How many operations of a kind the network performed for a reference (for tests and the dashboard). */
  operations(reference: string): number {
    return this.db.read((tx) => tx.get<{ n: number }>('SELECT count(*) AS n FROM card_network_operations WHERE reference = ?', reference)!.n);
  }

  private async once<T>(kind: string, reference: string, account: string, amount: number, decide: () => T): Promise<T> {
    if (this.config.cardNetworkLatencyMs > 0) await sleep(this.config.cardNetworkLatencyMs);
    // The network's own commit: the lookup and the insert are one unit, so two concurrent asks for the
    // same reference still produce a single operation.
    return await this.db.run((tx) => {
      const done = tx.get<{ result: string }>('SELECT result FROM card_network_operations WHERE kind = ? AND reference = ?', kind, reference);
      if (done) return JSON.parse(done.result) as T;
      const result = decide();
      tx.run(
        'INSERT INTO card_network_operations (kind, reference, account, amount, result, created_at) VALUES (?, ?, ?, ?, ?, ?)',
        kind, reference, account, amount, JSON.stringify(result), Date.now(),
      );
      return result;
    });
  }
}

function isExpired(card: CardOnFile): boolean {
  const now = new Date();
  return card.exp_year < now.getUTCFullYear() || (card.exp_year === now.getUTCFullYear() && card.exp_month < now.getUTCMonth() + 1);
}

const networkId = () => randomText('0123456789ABCDEF', 16);

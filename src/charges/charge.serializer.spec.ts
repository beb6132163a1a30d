import { describe, expect, it } from '@jest/globals';
import type { ChargeEntity } from './charge.entity.js';
import { serializeCharge } from './charge.serializer.js';

const row = (source: object, outcome: string | null = null): ChargeEntity =>
  ({
    seq: 1, id: 'ch_1', account: 'sk_test_a', created: 1, amount: 500, amount_captured: 500, amount_refunded: 0, currency: 'usd',
    customer_id: null, card_id: 'card_1', card: JSON.stringify({ source, details: {} }), status: 'succeeded', keyed: false, unfinished: false,
    capture_requested: true, captured: true, failure_code: null, failure_message: null, outcome, authorization_code: null,
    balance_transaction: null, description: null, metadata: '{}', receipt_email: null, statement_descriptor: null, statement_descriptor_suffix: null, transfer_group: null, shipping: null,
    fraud_details: '{}',
  }) as ChargeEntity;

describe('serializeCharge', () => {
  it('gives a card snapshot taken before cards had regulated_status the field, null', () => {
    const charge = serializeCharge(row({ id: 'card_1', object: 'card', name: null }), []);
    expect(charge.source).toMatchObject({ id: 'card_1', regulated_status: null });
  });

  it("fills billing_details from the cardholder's name and address on the card", () => {
    const charge = serializeCharge(row({ id: 'card_1', name: 'Ada', address_line1: '1 Main St', address_zip: '94107', address_country: 'US' }), []);
    expect(charge.billing_details).toEqual({
      address: { city: null, country: 'US', line1: '1 Main St', line2: null, postal_code: '94107', state: null },
      email: null,
      name: 'Ada',
      phone: null,
      tax_id: null,
    });
  });

  it('gives an outcome stored before outcomes had the network advice fields those fields, null', () => {
    const stored = JSON.stringify({
      network_status: 'declined_by_network', reason: 'insufficient_funds', risk_level: 'normal', risk_score: 32,
      seller_message: 'The bank did not return any further details with this decline.', type: 'issuer_declined',
    });
    expect(serializeCharge(row({ id: 'card_1' }, stored), []).outcome).toEqual({
      advice_code: null,
      network_advice_code: null,
      network_decline_code: null,
      network_status: 'declined_by_network',
      reason: 'insufficient_funds',
      risk_level: 'normal',
      risk_score: 32,
      seller_message: 'The bank did not return any further details with this decline.',
      type: 'issuer_declined',
    });
  });
});

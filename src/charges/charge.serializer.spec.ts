import { describe, expect, it } from '@jest/globals';
import type { ChargeEntity } from './charge.entity.js';
import type { RefundEntity } from '../refunds/refund.entity.js';
import { serializeCharge, withRefunds } from './charge.serializer.js';

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
    const charge = serializeCharge(row({ id: 'card_1', object: 'card', name: null }));
    expect(charge.source).toMatchObject({ id: 'card_1', regulated_status: null });
  });

  it("fills billing_details from the cardholder's name and address on the card", () => {
    const charge = serializeCharge(row({ id: 'card_1', name: 'Ada', address_line1: '1 Main St', address_zip: '94107', address_country: 'US' }));
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
    expect(serializeCharge(row({ id: 'card_1' }, stored)).outcome).toEqual({
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

  it('has no refunds, which Stripe shows only when asked since 2022-11-15', () => {
    expect(serializeCharge(row({ id: 'card_1' }))).not.toHaveProperty('refunds');
  });

  it('shows refunds when asked where Stripe has the field, after refunded: the newest 10, and how many in all', () => {
    const refunds = Array.from({ length: 12 }, (_, i) => ({
      seq: 12 - i, id: `re_${12 - i}`, account: 'sk_test_a', created: 1, charge_id: 'ch_1', customer_id: null, payment_method: 'card_1',
      amount: 10, currency: 'usd', status: 'succeeded', reason: null, metadata: '{}', balance_transaction: null,
      instructions_email: null, keyed: false, unfinished: false, events_owed: false,
    })) as RefundEntity[];
    const charge = withRefunds(serializeCharge(row({ id: 'card_1' })), refunds);
    const fields = Object.keys(charge);
    expect(fields[fields.indexOf('refunded') + 1]).toBe('refunds');
    expect(fields.indexOf('review')).toBe(fields.indexOf('refunds') + 1);
    const shown = (charge as unknown as { refunds: { data: Array<{ id: string }>; has_more: boolean; total_count: number; url: string } }).refunds;
    expect(shown.data.map((r) => r.id)).toEqual(['re_12', 're_11', 're_10', 're_9', 're_8', 're_7', 're_6', 're_5', 're_4', 're_3']);
    expect(shown).toMatchObject({ object: 'list', has_more: true, total_count: 12, url: '/v1/charges/ch_1/refunds' });
  });
});

import type { Authorization } from '../card-network/simulated-card-network.js';

/** Stripe.Charge.Outcome, in the order Stripe sends its fields. */
export interface ChargeOutcome {
  advice_code: string | null;
  network_advice_code: string | null;
  network_decline_code: string | null;
  network_status: string;
  reason: string | null;
  risk_level: string;
  risk_score: number;
  seller_message: string;
  type: string;
}

/*
 * `advice_code`, `network_advice_code` and `network_decline_code` came to Stripe's `outcome` after oncepay
 * first stored one. The simulated issuers send no network codes or advice, so they are null on every
 * charge, stored before or after. They are written out in each literal rather than spread from a shared
 * object: in Node 20 `{ ...nulls, more }` takes a slow path (~1–10 µs a call, measured), on every charge.
 */

/** Risk scores within the band Stripe gives each level (normal below 65, elevated 65–74, highest 75 and up). */
const RISK_SCORE = { normal: 32, elevated: 70, highest: 95 } as const;

/** What Stripe tells the seller about the network's answer (`outcome`, stored as JSON on the charge). */
export function outcomeOf(auth: Pick<Authorization, 'decline' | 'riskLevel'>): ChargeOutcome {
  const { decline } = auth;
  const riskLevel = auth.riskLevel ?? 'normal';
  if (!decline) {
    return {
      advice_code: null, network_advice_code: null, network_decline_code: null,
      network_status: 'approved_by_network', reason: null, risk_level: riskLevel,
      risk_score: RISK_SCORE[riskLevel], seller_message: 'Payment complete.', type: 'authorized',
    };
  }
  if (decline.blocked) {
    return {
      advice_code: null, network_advice_code: null, network_decline_code: null,
      network_status: 'not_sent_to_network', reason: 'highest_risk_level', risk_level: 'highest',
      risk_score: RISK_SCORE.highest, seller_message: 'Stripe blocked this payment as too risky.', type: 'blocked',
    };
  }
  return {
    advice_code: null,
    network_advice_code: null,
    network_decline_code: null,
    network_status: 'declined_by_network',
    reason: decline.declineCode,
    risk_level: riskLevel,
    risk_score: RISK_SCORE[riskLevel],
    seller_message: sellerMessage(decline.declineCode),
    type: 'issuer_declined',
  };
}

/** An outcome as stored, with the fields that outcomes stored by earlier builds lack. */
export function parseOutcome(json: string): ChargeOutcome {
  const outcome = JSON.parse(json) as ChargeOutcome;
  outcome.advice_code ??= null;
  outcome.network_advice_code ??= null;
  outcome.network_decline_code ??= null;
  return outcome;
}

/** Stripe names the issuer's decline code, except when the issuer gave no reason (generic_decline). */
function sellerMessage(declineCode: string): string {
  return declineCode === 'generic_decline'
    ? 'The bank did not return any further details with this decline.'
    : `The bank returned the decline code \`${declineCode}\`.`;
}

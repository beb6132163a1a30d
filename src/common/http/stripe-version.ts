import type { FastifyReply, FastifyRequest } from 'fastify';
import { API_VERSION } from '../../events/event-types.js';
import { InvalidRequestError } from '../errors/stripe-error.js';
import { Messages } from '../errors/messages.js';
import { isApiRequest } from './request-context.js';

/**
 * A release name: its date, and since 2024 a codename (`2025-01-27.acacia`), then any beta headers the
 * client opts into as Stripe documents them (`2024-06-20; embedded_connect_beta=v2`). oncepay has no
 * betas: the version answers as asked, and nothing changes.
 */
const VERSION = /^(\d{4})-(\d{2})-(\d{2})(?:\.[a-z]+)?(?:; ?[a-z][a-z0-9_]*=v\d+)*$/;

/**
 * The API version of a `/v1` request, answered in `Stripe-Version` as Stripe does (the SDK reads it into
 * `lastResponse.apiVersion`): the one the client asked for, else the account's, which here is the one
 * version oncepay's objects and events follow. A version that cannot be a Stripe release (`banana`,
 * `2019-2-19`, a date still to come) is refused like Stripe refuses it; oncepay does not know Stripe's
 * list of releases, so a well-formed past date is taken at its word.
 */
export function negotiateApiVersion(req: FastifyRequest, reply: FastifyReply): InvalidRequestError | undefined {
  if (!isApiRequest(req)) return undefined;
  const asked = req.headers['stripe-version'];
  if (asked === undefined) {
    reply.header('Stripe-Version', API_VERSION);
    return undefined;
  }
  const version = Array.isArray(asked) ? asked.join(', ') : asked;
  if (!isRelease(version)) {
    // The refusal names a version too, as every /v1 answer does: the one oncepay answers in.
    reply.header('Stripe-Version', API_VERSION);
    return new InvalidRequestError(Messages.invalidApiVersion(version));
  }
  reply.header('Stripe-Version', version);
  return undefined;
}

/** Room for a release and a few betas; a longer header is no version, and would be echoed whole. */
const MAX_VERSION_LENGTH = 200;

function isRelease(version: string): boolean {
  if (version.length > MAX_VERSION_LENGTH) return false;
  const match = VERSION.exec(version);
  if (!match) return false;
  const [year, month, day] = match.slice(1, 4).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  const real = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return real && year >= 2011 && date.getTime() <= Date.now();
}

import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { AuthenticationError, InvalidRequestError } from '../errors/stripe-error.js';
import { Messages } from '../errors/messages.js';
import { PUBLIC_ROUTE } from './public.decorator.js';

/**
 * Turns the secret key into an account. Each distinct `sk_test_` key is its own account, so test
 * suites isolate themselves just by choosing a key.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  // Hashing on every request is wasted work; keys per process are few.
  private readonly accounts = new Map<string, string>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    if (PUBLIC_ROUTE.isSetOn(context)) return true;
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    req.account = this.authenticate(req.headers.authorization);
    // An oncepay account is never a Connect platform. Ignoring the header would act on the caller's own
    // account while the client believes it acts on another one, so it is refused as Stripe refuses it;
    // likewise `Stripe-Context` (the SDK's stripeContext), which names another account's context.
    if (namesAnotherAccount(req.headers)) throw new InvalidRequestError(Messages.notAConnectPlatform(), {}, 403);
    return true;
  }

  authenticate(header: string | undefined): string {
    if (!header) throw new AuthenticationError(Messages.noApiKey());
    const key = parseAuthorization(header);
    // Stripe quotes a header it could not read (no scheme, `Token …`), which is what points at the mistake.
    if (!key) throw new AuthenticationError(Messages.noApiKeyInHeader(header));
    if (key.startsWith('pk_')) throw new AuthenticationError(Messages.publishableKey());
    if (!/^sk_test_[A-Za-z0-9_]{1,200}$/.test(key) || (this.config.apiKeys && !this.config.apiKeys.has(key))) {
      throw new AuthenticationError(Messages.invalidApiKey(key));
    }
    let account = this.accounts.get(key);
    if (!account) {
      account = accountIdForKey(key);
      this.accounts.set(key, account);
    }
    return account;
  }

  /** The account a request's key names, or null when it names none (no key, a bad key). */
  accountOrNull(header: string | undefined): string | null {
    try {
      return this.authenticate(header);
    } catch {
      return null;
    }
  }
}

/** The database never stores the key itself, only an account id derived from it. */
/** A Connect header (`Stripe-Account`, or `Stripe-Context`, the SDK's stripeContext): refused by canActivate. */
export function namesAnotherAccount(headers: FastifyRequest['headers']): boolean {
  return headers['stripe-account'] !== undefined || headers['stripe-context'] !== undefined;
}

export function accountIdForKey(key: string): string {
  return `acct_${createHash('sha256').update(key).digest('hex').slice(0, 20)}`;
}

function parseAuthorization(header: string): string | null {
  const [scheme, value] = header.trim().split(/\s+/, 2);
  if (!value) return null;
  if (/^bearer$/i.test(scheme)) return value;
  if (/^basic$/i.test(scheme)) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const user = decoded.split(':')[0];
    return user || null;
  }
  return null;
}

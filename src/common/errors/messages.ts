/** Every user-facing message, in Stripe's wording, kept together so they read consistently. */
export const Messages = {
  noApiKey: () =>
    "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
  noApiKeyInHeader: (header: string) =>
    `You did not provide an API key, though you did set your Authorization header to "${header}". Using Bearer auth, your Authorization header should look something like 'Authorization: Bearer YOUR_SECRET_KEY'. See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.`,
  notAConnectPlatform: () =>
    "Only Stripe Connect platforms can work with other accounts. If you specified a client_id parameter, make sure it's correct. If you need to setup a Stripe Connect platform, you can do so at https://dashboard.stripe.com/account/applications/settings.",
  invalidApiKey: (key: string) => `Invalid API Key provided: ${redactKey(key)}`,
  publishableKey: () =>
    'This API call cannot be made with a publishable API key. Please use a secret API key. You can find a list of your API keys at https://dashboard.stripe.com/account/apikeys.',
  missingParam: (param: string) => `Missing required param: ${param}.`,
  expandTooDeep: (max: number) => `You cannot expand more than ${max} levels of a property.`,
  oneOfRequired: (...params: string[]) => `One of the following params should be provided for this request: ${params.join(' or ')}.`,
  onlyOneOf: (...params: string[]) => `You may only specify one of these parameters: ${params.join(', ')}.`,
  cannotUnset: (param: string) =>
    `You passed an empty string for '${param}'. We assume empty values are an attempt to unset a parameter; however '${param}' cannot be unset. You should remove '${param}' from your request or supply a non-empty value.`,
  unknownParam: (param: string) => `Received unknown parameter: ${param}`,
  paramInQueryAndBody: (param: string) =>
    `Received parameter ${param} twice: in the URL's query string and in the request body. Send each parameter once.`,
  arrayTooLong: (param: string, max: number, length: number) => `Invalid array: ${param} can have at most ${max} elements (got ${length}).`,
  invalidInteger: (value: unknown) => `Invalid integer: ${shown(value)}`,
  integerNotScalar: (param: string) => `Invalid integer: ${param} must be an integer.`,
  invalidBoolean: (value: unknown) => `Invalid boolean: ${shown(value)}`,
  invalidString: (param: string) => `Invalid string: ${param} must be a string.`,
  malformedEscape: (param: string) =>
    `Invalid string: ${param} is not percent-encoded UTF-8 text (a % must start an escape such as %2F, and escapes must spell UTF-8; send % itself as %25).`,
  unpairedSurrogate: (param: string) =>
    `Invalid string: ${param} is not valid Unicode text (it holds half of a UTF-16 surrogate pair, such as \\ud800, alone).`,
  invalidObject: (param: string) => `Invalid object: ${param} must be a hash.`,
  valueBesideHash: (param: string) =>
    `Invalid ${param}: it was sent both as a value (${param}=…) and as a hash (${param}[…]=…); send one or the other.`,
  invalidArray: (param: string) => `Invalid array: ${param} must be an array.`,
  cannotExpand: (field: string) => `This property cannot be expanded (${field}).`,
  cannotExpandTryData: (field: string, path: string) =>
    `This property cannot be expanded (${field}). You may want to try expanding 'data.${path}' instead.`,
  invalidStatementDescriptor: (value: unknown, param = 'statement_descriptor') =>
    `Invalid ${param}: ${shown(value)} (it must contain at least one letter, only Latin characters, and none of the characters < > \\ ' " *).`,
  invalidEmail: (value: unknown) => `Invalid email address: ${shown(value)}`,
  faultPathNotApi: (path: string) => `Invalid path: faults apply to API paths under /v1/ (got '${path}')`,
  invalidInvoicePrefix: () => 'Invalid invoice_prefix: must be 3-12 uppercase letters or numbers',
  stringTooLong: (param: string, max: number) => `Invalid ${param}: must be at most ${max} characters`,
  invalidEnum: (param: string, allowed: readonly string[]) =>
    `Invalid ${param}: must be one of ${allowed.join(', ')}`,
  notNonNegativeInteger: () => 'Invalid non-negative integer',
  notPositiveInteger: () => 'Invalid positive integer',
  integerOutOfRange: (param: string, min: number, max: number) =>
    `Invalid ${param}: must be an integer between ${min} and ${max}`,
  metadataTooManyKeys: () => 'Invalid metadata: metadata cannot have more than 50 keys.',
  metadataKeyTooLong: (key: string) =>
    `Invalid metadata: metadata keys must be at most 40 characters long (key '${key}').`,
  metadataValueTooLong: (key: string) =>
    `Invalid metadata: metadata values must be at most 500 characters long (key '${key}').`,
  noSuch: (resource: string, id: string) => `No such ${resource}: '${id}'`,
  searchNotImplemented: (path: string) => `oncepay does not implement the Search API (GET ${path}/search): list ${path} with its filters instead.`,
  invalidApiVersion: (version: string) => `Invalid Stripe API version: ${version}`,
  unrecognizedUrl: (method: string, url: string, trailingSlash: boolean) =>
    `Unrecognized request URL (${method}: ${url}). ${
      trailingSlash
        ? 'If you are trying to list objects, remove the trailing slash. If you are trying to retrieve an object, make sure you passed a valid (non-empty) identifier in your code. '
        : ''
    }Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
  malformedBody: () => 'Invalid request body: the body could not be parsed. Send application/x-www-form-urlencoded or JSON.',
  bodyNotUtf8: () => 'Invalid request body: the body is not UTF-8 text. Send text as UTF-8 (in a form, percent-encoded).',
  bodyTooDeep: () => 'Invalid request: parameters are nested too deeply.',
  tooManyParams: (maxParams: number, maxArray: number) =>
    `Invalid request: too many parameters (at most ${maxParams}, and at most ${maxArray} elements in an array).`,
  bodyTooLarge: (limit: number) => `Invalid request: the request body is larger than ${limit} bytes.`,
  unsupportedContentType: (type: string) =>
    `Invalid request: unsupported Content-Type '${type}'. Send application/x-www-form-urlencoded or JSON.`,
  missingContentType: () =>
    'Invalid request: the request has a body but no Content-Type. Send application/x-www-form-urlencoded or JSON.',
  malformedUrl: (url: string) => `Invalid request URL: '${url}' is not a valid URL (check its percent-encoding).`,
  clientClosed: () => 'Invalid request: the connection closed before the request body arrived.',
  unparsableHttp: () => 'Invalid request: the HTTP request could not be parsed (method, headers or body framing).',
  unsupportedContentEncoding: (encoding: string) =>
    `Invalid request: Content-Encoding '${encoding}' is not supported. Send the request body uncompressed.`,
  missingHost: () => 'Invalid request: an HTTP/1.1 request must have a Host header.',
  headersTooLarge: () => 'Invalid request: the request headers are too large.',
  requestTimedOut: () => 'Invalid request: the request was not received in time.',
  urlTooLong: (url: string) => `Invalid request URL: a path segment of '${url}' is too long.`,
  idempotencyKeyTooLong: (length: number) =>
    `Invalid Idempotency-Key: keys must be at most 255 characters long (this one has ${length}).`,
  idempotencyKeyEmpty: () => 'Invalid Idempotency-Key: the key is empty. Send a unique key of 1 to 255 characters, or no header at all.',
  idempotencyParamsMismatch: (key: string) =>
    `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
  idempotencyEndpointMismatch: (key: string, newPath: string, firstPath: string) =>
    `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${newPath}' vs '${firstPath}'). Try using a key other than '${key}' if you meant to execute a different request.`,
  idempotencyKeyInUse: (key: string) =>
    `There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ${key}. Please try again later.`,
  idempotencyKeyDeleted: (key: string) =>
    `The idempotency key '${key}' was deleted while this request was in progress (a reset of the account deletes its keys and objects). Retry the request: the key is free again.`,
  databaseFileGone: (path: string) =>
    `The database file '${path}' was deleted or replaced while oncepay ran: nothing more can be saved, and what it held is gone once the server stops. Restart the server.`,
  shuttingDown: () =>
    'oncepay is shutting down and took no part of this request. Retry it once the server is running again.',
  internal: () =>
    'An unknown error occurred on our side. Please retry the request; if it keeps failing, check the server log.',

  // Charges, cards and refunds
  sourceOrCustomerRequired: () => 'Must provide source or customer.',
  customerHasNoCard: () => 'Cannot charge a customer that has no active card',
  chargeStillPending: (id: string) => `Charge ${id} is still being authorized and cannot be captured yet.`,
  stillProcessing: (object: 'Charge' | 'Refund', id: string, action: 'captured' | 'refunded' | 'updated') =>
    `${object} ${id} is still being processed and cannot be ${action} yet.`,
  otherCaptureInFlight: (id: string, amount: number) =>
    `A capture of ${amount} of charge ${id} is in flight, or its answer was lost: the card network captures a charge once, so this capture cannot be of another amount. Capture ${amount} (or retry that request) to finish it.`,
  captureInFlight: (id: string) =>
    `Charge ${id} is being captured and cannot be refunded until the capture has finished: retry this refund then. If the capture failed with an error, retry the capture first (the card network captures a charge once); one left unfinished without an Idempotency-Key is finished in the background.`,
  chargeFailedNotCapturable: (id: string) => `Charge ${id} has failed and cannot be captured.`,
  chargeAlreadyCaptured: (id: string) => `Charge ${id} has already been captured.`,
  captureTooLarge: (authorized: number) => `You cannot capture more than the authorized amount (${authorized}).`,
  // Money arrives formatted as Stripe shows it (`$0.50`, `¥50`): see formatMoney.
  amountTooLarge: (max: string) => `Amount must be no more than ${max}`,
  amountTooSmall: (minimum: string, currency: string) => `Amount must be at least ${minimum} ${currency}`,
  amountNotRoundedToTen: (currency: string, amount: number) =>
    `Invalid amount: ${currency} has three decimal places, and Stripe requires the last digit of its amounts to be 0 (round ${amount} to the nearest ten).`,
  invalidCurrency: (currency: string, supported: readonly string[]) =>
    `Invalid currency: ${currency}. Stripe currently supports these currencies: ${supported.join(', ')}`,
  sourceMustBeToken: () => 'source must be a card token such as tok_visa.',
  attachWithDefaultSource: (id: string) => `To attach ${id}, use default_source; source takes a token such as tok_visa.`,
  incorrectCardNumber: () => 'Your card number is incorrect.',
  noSuchToken: (token: string) => `No such token: '${token}'`,
  noSuchPaymentMethod: (id: string) => `No such PaymentMethod: '${id}'`,
  invalidExpiryYear: () => "Your card's expiration year is invalid.",
  invalidExpiryMonth: () => "Your card's expiration month is invalid.",
  invalidCvc: () => "Your card's security code is invalid.",
  noSuchSource: (id: string) => `No such source: '${id}'`,
  sourceNotLinked: (customer: string, id: string) => `Customer ${customer} does not have a linked source with ID ${id}.`,
  paymentMethodNotAttached: (id: string) =>
    `The customer does not have a payment method with the ID ${id}. The payment method must be attached to the customer.`,
  sourceNeedsCustomer: (id: string, owner: string) => `The card ${id} belongs to customer ${owner}: pass customer=${owner} to charge it.`,
  refundOfFailedCharge: (id: string) => `Charge ${id} failed, so there is nothing to refund.`,
  partialRefundOfUncapturedCharge: () =>
    'You cannot partially refund an uncaptured charge. Instead, capture the charge for an amount less than the original amount',
  chargeAlreadyRefunded: (id: string) => `Charge ${id} has already been refunded.`,
  refundNotCancelable: (id: string, status: string) =>
    `Refund ${id} cannot be canceled: its status is ${status}. Only a refund with status requires_action can be canceled, and a card refund never requires action.`,
  refundInFlight: (id: string) =>
    `Charge ${id} has nothing left to refund: a refund still being processed takes the rest of it. Retrieve the charge's refunds to see how it ends.`,
  chargeHasCustomer: (id: string, customer: string) =>
    `Charge ${id} already has a customer (${customer}): a charge's customer can only be set while it has none.`,
  chargeHasTransferGroup: (id: string, group: string) =>
    `Charge ${id} already has a transfer_group (${group}): a charge's transfer_group can only be set while it has none.`,
  refundTooLarge: (amount: string, left: string) => `Refund amount (${amount}) is greater than unrefunded amount on charge (${left})`,
  /** Names the key: the SDK makes one up for its retries, which its caller never saw. */
  cardNetworkTimeout: (key: string) =>
    `The card network did not answer in time, so the outcome of this request is unknown. Retry it with the same Idempotency-Key (${key}): it will resume and get the original answer.`,
  cardNetworkTimeoutKeyless: (kind: 'charge' | 'refund', id: string) =>
    `The card network did not answer in time, so the outcome of this request is unknown. It was sent without an Idempotency-Key, so a retry would be a new request and a second ${kind}: oncepay finishes this one, ${id}, in the background; retrieve it to see how it ended.`,
  captureTimeoutKeyless: (id: string) =>
    `The card network did not answer in time, so the outcome of this capture of ${id} is unknown. Retrying it is safe: the network captures a charge once, and the retry records what it captured.`,

  // Webhooks and the control API
  invalidUrl: (url: string) => `Invalid URL: ${url}`,
  invalidEnabledEvent: (type: unknown, sent: readonly string[]) =>
    `Invalid enabled_events: ${shown(type)} is not a Stripe event type. Give '*' or event types; oncepay sends ${sent.join(', ')}.`,
  unsupportedApiVersion: (value: unknown, supported: string) =>
    `Invalid api_version: oncepay sends events in API version ${supported} only (got ${shown(value)}).`,
  connectEndpointUnsupported: () =>
    'Invalid connect: oncepay has no connected accounts, so a Connect endpoint (connect=true) would never receive an event. Leave connect out or send false.',
  tooManyWebhookEndpoints: (max: number) => `You have reached the maximum of ${max} test webhook endpoints.`,
  faultPathUnknown: (path: string) =>
    `Invalid path: '${path}' is not an API endpoint that faults apply to (POST endpoints such as /v1/charges or /v1/charges/:id/capture).`,
  faultPathHalfNamed: (path: string, pattern: string) =>
    `Invalid path: '${path}' names some ids by a :name and gives others. Give every id (a request's own path) or name every one (the route, ${pattern}).`,
  faultPathPlaceholder: (path: string, segment: string, pattern: string) =>
    `Invalid path: '${path}' gives '${segment}' where an id goes, which is a placeholder, not an id: the fault would never fire. Give the object's id (a request's own path) or name every id with a colon (the route, ${pattern}).`,
  faultNeverFires: (pattern: string, callers: string[]) =>
    `processor_timeout never fires on ${pattern}: it does not call the card network (these do: ${callers.join(', ')}).`,
  phaseNeverReached: (pattern: string, phase: string, points: readonly string[]) =>
    points.length
      ? `${pattern} never reaches the recovery point ${phase}: its points are ${points.join(', ')}.`
      : `${pattern} never reaches the recovery point ${phase}: it always answers an error, and an error commits no recovery point.`,
  phaseOnlyForCrash: (fault: string) => `phase is only used with the crash_after_phase fault, not ${fault}.`,
} as const;

/** Stripe shows only the end of a rejected key, so logs and screenshots do not leak it. */
function redactKey(key: string): string {
  // Short keys show no tail: it would overlap the 8-character prefix and repeat characters.
  const tail = key.length > 12 ? key.slice(-4) : '';
  return `${key.slice(0, 8)}${'*'.repeat(Math.max(0, key.length - 8 - tail.length))}${tail}`;
}

/** A param's value as a message quotes it: text as sent, a hash or an array as JSON (never `[object Object]`). */
export function shown(value: unknown): string {
  return value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value);
}

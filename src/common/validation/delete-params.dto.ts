/**
 * The params of a delete (`DELETE /v1/<objects>/:id`): none, as Stripe's deletes take none. Declared, with
 * no fields, so that anything sent is a 400 naming it, as Stripe answers, before anything is deleted;
 * a delete once ignored `?bogus=1` and deleted anyway.
 */
export class DeleteParamsDto {}

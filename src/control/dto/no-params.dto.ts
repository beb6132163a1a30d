/** The query of a control GET that takes none (listing faults, one idempotency key): any param is refused by name. */
export class NoParamsDto {}

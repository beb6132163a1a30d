/** `POST /_control/reset` takes no params: it always clears the caller's whole account. Any param is refused. */
export class ResetDto {}

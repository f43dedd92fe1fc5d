/**
 * A request a feature refuses for a reason of its own: the reason is the error body's `code`,
 * with the HTTP status the feature chose. Features extend it (ingest's WebhookRejection), so
 * the error mapping (api-error.ts) needs to know none of them.
 */
export class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly details?: string[],
    readonly eventId?: string,
  ) {
    super(message);
    this.name = 'Refusal';
  }
}

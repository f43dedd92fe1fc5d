import { Command } from '@nestjs/cqrs';

export interface IngestOutcome {
  eventId: string;
  position: number;
  duplicate: boolean;
  type: string;
}

/** One delivery of a Voucherify webhook, exactly as it arrived. */
export class IngestWebhookCommand extends Command<IngestOutcome> {
  constructor(
    readonly rawBody: Buffer,
    /** Lower-cased header names; only the ones worth keeping (see KEPT_HEADERS). */
    readonly headers: Record<string, string>,
  ) {
    super();
  }
}

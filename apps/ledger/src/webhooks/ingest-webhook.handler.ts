import { Logger } from '@nestjs/common';
import { CommandHandler, EventBus, ICommandHandler } from '@nestjs/cqrs';
import { GroupCommitAppender } from '@ledger/event-store';
import { parseWebhookEnvelope, verifySignature } from '@ledger/voucherify';
import { LedgerConfig } from '../config/ledger-config';
import { isDatabaseUnavailable, withDeadline } from '@ledger/event-store';
import { EventsAppended } from './events-appended.event';
import { newEventFrom } from './new-event';
import { IngestOutcome, IngestWebhookCommand } from './ingest-webhook.command';
import { SIGNATURE_HEADER } from './kept-headers';
import { IngestUnavailable, WebhookRejection } from './webhook-rejection';

// SQLSTATEs of payloads PostgreSQL's jsonb cannot hold although JSON.parse accepted them
// (e.g. "\u0000", a lone surrogate): the data will never be storable, so this is a 422.
const UNSTORABLE_JSON_SQLSTATES = new Set(['22P02', '22P05', '22021', '54000']);

@CommandHandler(IngestWebhookCommand)
export class IngestWebhookHandler implements ICommandHandler<IngestWebhookCommand, IngestOutcome> {
  private readonly logger = new Logger(IngestWebhookHandler.name);

  constructor(
    private readonly config: LedgerConfig,
    private readonly appender: GroupCommitAppender,
    private readonly eventBus: EventBus,
  ) {}

  async execute({ rawBody, headers }: IngestWebhookCommand): Promise<IngestOutcome> {
    // Signature first: nothing from an unauthenticated sender is parsed.
    const signature = verifySignature(rawBody, headers[SIGNATURE_HEADER], this.config.webhookSecrets);
    if (!signature.ok) {
      const message =
        signature.reason === 'missing_signature'
          ? `the ${SIGNATURE_HEADER} header is required`
          : `the ${SIGNATURE_HEADER} header does not match the body`;
      throw new WebhookRejection(401, signature.reason, message);
    }

    const payloadJson = rawBody.toString('utf8');
    let body: unknown;
    try {
      body = JSON.parse(payloadJson);
    } catch (error) {
      throw new WebhookRejection(400, 'malformed_json', `the body is not valid JSON: ${(error as Error).message}`);
    }

    const parsed = parseWebhookEnvelope(body);
    if (!parsed.ok) {
      throw new WebhookRejection(422, 'invalid_envelope', 'the body is not a Voucherify webhook envelope', parsed.problems);
    }
    const { envelope } = parsed;

    let result;
    try {
      result = await withDeadline(
        this.appender.append(newEventFrom(envelope, rawBody, payloadJson, signature.status, headers)),
        this.config.ingestTimeoutMs,
      );
    } catch (error) {
      const sqlState = (error as { code?: string }).code;
      if (sqlState && UNSTORABLE_JSON_SQLSTATES.has(sqlState)) {
        throw new WebhookRejection(422, 'unstorable_payload', `the payload cannot be stored: ${(error as Error).message}`, undefined, envelope.eventId);
      }
      if (isDatabaseUnavailable(error)) throw new IngestUnavailable(error);
      throw error;
    }

    if (result.outcome === 'conflict') {
      this.logger.warn(
        { eventId: envelope.eventId, storedType: result.storedType, receivedType: envelope.type, position: result.position },
        'event id reused with different content; refused',
      );
      throw new WebhookRejection(
        409,
        'event_id_conflict',
        `event ${envelope.eventId} is already stored (position ${result.position}) with a different type or data`,
        undefined,
        envelope.eventId,
      );
    }
    if (result.outcome === 'appended') this.eventBus.publish(new EventsAppended(result.position));
    return { eventId: envelope.eventId, position: result.position, duplicate: result.outcome === 'duplicate', type: envelope.type };
  }
}

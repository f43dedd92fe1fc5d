import { Logger } from '@nestjs/common';
import { Command, CommandHandler, EventBus, ICommandHandler } from '@nestjs/cqrs';
import { classifyDatabaseError, GroupCommitAppender, SignatureStatus, withDeadline } from '@ledger/event-store';
import { canonicalEventType, checkJsonShape, isOperatorEventType, parseWebhookEnvelope, verifySignature } from '@ledger/voucherify';
import { LedgerConfig } from '../config/ledger-config';
import { ErasedCustomers } from '../erasure/erased-customers';
import { EventsAppended } from './events-appended.event';
import { IngestRefused, IngestResult, IngestUnavailable } from './ingest-result';
import { newEventFrom } from './new-event';

/**
 * Where a body came from. A webhook has its signature checked and keeps some request headers;
 * an imported line was checked when it was first received (or is trusted history) and is stored
 * as `imported`.
 */
export type IngestSource =
  | {
      kind: 'webhook';
      /** The `x-voucherify-signature` header, as sent. */
      signature: string | undefined;
      /** Lower-cased names; only the ones worth keeping with the event. */
      headers: Record<string, string>;
    }
  | { kind: 'import' }
  /** An event of the ledger's own operators (e.g. a point value), built by an admin route. */
  | { kind: 'operator' }
  /** A transaction fetched from Voucherify's API by a reconciliation (backfill), stored as `reconciled`. */
  | { kind: 'reconciliation' };

/** Append one Voucherify event, given as the exact bytes received. */
export class IngestCommand extends Command<IngestResult> {
  constructor(
    readonly rawBody: Buffer,
    readonly source: IngestSource,
  ) {
    super();
  }
}

/**
 * The one way an event enters the log, for a webhook and for `ledger import` alike: signature
 * (webhooks), shape limits, JSON, envelope, then the group-commit append with dedup on the event
 * id. Every step that can refuse does so here, so both ways in agree on what is stored.
 */
@CommandHandler(IngestCommand)
export class IngestHandler implements ICommandHandler<IngestCommand, IngestResult> {
  private readonly logger = new Logger(IngestHandler.name);

  constructor(
    private readonly config: LedgerConfig,
    private readonly appender: GroupCommitAppender,
    private readonly eventBus: EventBus,
    private readonly erased: ErasedCustomers,
  ) {}

  async execute({ rawBody, source }: IngestCommand): Promise<IngestResult> {
    // Signature first: nothing from an unauthenticated sender is parsed.
    const signatureStatus = this.authenticate(rawBody, source);
    if (typeof signatureStatus !== 'string') return signatureStatus;
    const refuse = (reason: IngestRefused['reason'], message: string, details?: string[], eventId?: string): IngestResult => ({
      outcome: 'refused',
      reason,
      message,
      details,
      eventId,
      authenticated: true,
    });

    const shape = checkJsonShape(rawBody, { maxDepth: this.config.ingestMaxDepth, maxKeys: this.config.ingestMaxKeys });
    // Past the shape limits, or holding what the log cannot store as JSON (U+0000, a lone surrogate, a huge number).
    if (!shape.ok) return refuse(shape.unstorable ? 'unstorable_payload' : 'payload_too_complex', shape.problem);

    const payloadJson = rawBody.toString('utf8');
    let body: unknown;
    try {
      body = JSON.parse(payloadJson);
    } catch (error) {
      return refuse('malformed_json', `the body is not valid JSON: ${(error as Error).message}`);
    }

    const parsed = parseWebhookEnvelope(body);
    if (!parsed.ok) return refuse('invalid_envelope', 'the body is not a Voucherify webhook envelope', parsed.problems);
    const { envelope } = parsed;
    // Operator events (a point value) are ours: no webhook or imported line may pass for one.
    if (isOperatorEventType(envelope.type) !== (source.kind === 'operator')) {
      return refuse('invalid_envelope', 'the body is not a Voucherify webhook envelope', [
        source.kind === 'operator' ? `${envelope.type} is not an operator event type` : `type ${envelope.type} is reserved for the ledger's operators`,
      ]);
    }

    let stored;
    try {
      const headers = source.kind === 'webhook' ? source.headers : {};
      // A customer erased before: their personal data is never stored again (the signature was checked above, on the bytes received).
      const redaction = source.kind === 'operator' ? null : await this.erased.redact(body);
      const event = redaction
        ? { ...newEventFrom(envelope, Buffer.from(JSON.stringify(redaction.body)), JSON.stringify(redaction.body), signatureStatus, headers), redactedBy: redaction.redactedBy }
        : newEventFrom(envelope, rawBody, payloadJson, signatureStatus, headers);
      stored = await withDeadline(this.appender.append(event), this.config.ingestTimeoutMs);
    } catch (error) {
      const kind = classifyDatabaseError(error);
      if (kind === 'unstorable') {
        return refuse('unstorable_payload', `the payload cannot be stored: ${(error as Error).message}`, undefined, envelope.eventId);
      }
      if (kind === 'unavailable' || kind === 'transient') throw new IngestUnavailable(error);
      throw error;
    }

    if (stored.outcome === 'conflict') {
      this.logger.warn(
        { eventId: envelope.eventId, storedType: stored.storedType, receivedType: envelope.type, position: stored.position },
        'event id reused with different content; refused',
      );
    }
    if (stored.outcome === 'appended') this.eventBus.publish(new EventsAppended(stored.position));
    if (stored.outcome === 'appended' && this.config.eraseOnCustomerDeleted && canonicalEventType(envelope.type) === 'customer.deleted' && envelope.customerId) {
      await this.erased.requestOnDeletion(envelope.customerId).catch((error) => this.logger.error({ err: error, customerId: envelope.customerId }, 'erasure on customer.deleted not requested'));
    }
    return { outcome: stored.outcome, eventId: envelope.eventId, type: envelope.type, position: stored.position };
  }

  /** The signature status to store, or the refusal of an unauthenticated webhook. */
  private authenticate(rawBody: Buffer, source: IngestSource): SignatureStatus | IngestResult {
    if (source.kind === 'import') return 'imported';
    if (source.kind === 'operator') return 'operator';
    if (source.kind === 'reconciliation') return 'reconciled';
    const signature = verifySignature(rawBody, source.signature, this.config.webhookSecrets);
    if (signature.ok) return signature.status;
    return {
      outcome: 'refused',
      reason: signature.reason,
      message:
        signature.reason === 'missing_signature'
          ? 'the x-voucherify-signature header is required'
          : 'the x-voucherify-signature header does not match the body',
      authenticated: false,
    };
  }
}

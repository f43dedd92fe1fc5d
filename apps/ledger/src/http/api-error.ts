import { HttpException, HttpStatus } from '@nestjs/common';
import { isTransientError } from '@ledger/event-store';
import { Refusal } from './refusal';

/** The JSON error body every endpoint answers with. */
export interface ApiError {
  status: number;
  code: string;
  message: string;
  details?: string[];
  /** Seconds, sent as Retry-After on 503. */
  retryAfter?: number;
  eventId?: string;
  /** More fields for the body (snake_case), e.g. the checkpoints of read models still behind. */
  extra?: Record<string, unknown>;
}

export const RETRY_AFTER_SECONDS = 5;

const CODE_BY_STATUS: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable_entity',
  429: 'too_many_requests',
  503: 'service_unavailable',
};

function unavailable(): ApiError {
  return {
    status: HttpStatus.SERVICE_UNAVAILABLE,
    code: 'database_unavailable',
    message: 'the database is temporarily unavailable; retry later',
    retryAfter: RETRY_AFTER_SECONDS,
  };
}

/** Maps anything thrown (ours, Nest's, Fastify's, pg's) to a status and a clear, secret-free body. */
export function toApiError(exception: unknown): ApiError {
  if (exception instanceof Refusal) {
    return {
      status: exception.status,
      code: exception.reason,
      message: exception.message,
      details: exception.details,
      eventId: exception.eventId,
    };
  }
  // A database that is away, or a statement that lost a race (deadlock, serialization, a lock
  // timeout), thrown as is or as the cause of a feature's error (ingest's IngestUnavailable): a
  // retry later can succeed, on every route alike (libs/event-store/src/database-errors.ts).
  if (isTransientError(exception) || isTransientError((exception as { cause?: unknown } | null)?.cause)) return unavailable();
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    const raw = typeof response === 'object' && response !== null ? (response as { message?: unknown }).message : response;
    const details = Array.isArray(raw) ? raw.map(String) : undefined;
    const { message: _m, statusCode: _s, error: _e, ...extra } =
      typeof response === 'object' && response !== null ? (response as Record<string, unknown>) : {};
    return {
      status,
      code: CODE_BY_STATUS[status] ?? `http_${status}`,
      message: details ? details.join('; ') : String(raw ?? exception.message),
      details,
      retryAfter: status === 503 ? RETRY_AFTER_SECONDS : undefined,
      extra: Object.keys(extra).length > 0 ? extra : undefined,
    };
  }
  // Fastify's own refusals (body too large, unsupported media type, ...) carry a 4xx statusCode.
  const statusCode = (exception as { statusCode?: unknown })?.statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return {
      status: statusCode,
      code: CODE_BY_STATUS[statusCode] ?? `http_${statusCode}`,
      message: (exception as Error).message,
    };
  }
  return { status: HttpStatus.INTERNAL_SERVER_ERROR, code: 'internal_error', message: 'internal error' };
}

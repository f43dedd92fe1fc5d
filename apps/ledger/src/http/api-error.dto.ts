import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';

/**
 * The OpenAPI description of the error body every route answers with (built by toApiError and
 * sent by sendApiError): one schema, so a typed client handles every refusal the same way.
 */
export class ApiErrorDto {
  @ApiProperty({ type: 'integer', description: 'The HTTP status, repeated', example: 400 })
  status!: number;

  @ApiProperty({ description: 'Stable machine-readable reason, e.g. bad_request, not_found, database_unavailable', example: 'bad_request' })
  code!: string;

  @ApiProperty({ description: 'What was wrong, for a person', example: 'limit must not be greater than 500' })
  message!: string;

  @ApiPropertyOptional({ type: [String], description: 'Each problem of a refused request, when there are several' })
  details?: string[];

  @ApiPropertyOptional({ description: 'The event the refusal concerns (webhooks)' })
  event_id?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'integer', nullable: true },
    description: 'X-Min-Position timed out (503): the position each read model had reached (null: never ran)',
  })
  checkpoints?: Record<string, number | null>;
}

/** What each status means on the routes of this service; a route lists the ones it can answer. */
const DESCRIPTIONS: Record<number, string> = {
  400: 'A parameter or the body is malformed (the message names it)',
  401: 'A valid bearer token is required',
  404: 'Not found (or the admin API is off: ADMIN_TOKEN is not set)',
  409: 'Conflicts with what is stored',
  413: 'The body is too large',
  415: 'Unsupported media type',
  422: 'The body is well-formed but cannot be accepted',
  429: 'Too many at once; retry later',
  503: 'The database is unavailable or the read models did not catch up in time (Retry-After)',
};

/** `@ApiErrorResponses(400, 401)`: these statuses answer ApiErrorDto, documented in OpenAPI. */
export function ApiErrorResponses(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ApiErrorDto),
    ...statuses.map((status) => ApiResponse({ status, description: DESCRIPTIONS[status] ?? `Error ${status}`, type: ApiErrorDto })),
  );
}

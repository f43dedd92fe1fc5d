import { applyDecorators, Controller, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses } from './api-error.dto';
import { ReadTokenGuard } from './read-token.guard';
import { MIN_POSITION_HEADER, MinPositionGuard } from './min-position.guard';
import { NoStoreGuard } from './no-store.guard';

/**
 * A controller of the read API at `path` (customers, vouchers, reward redemptions, the event
 * log, projections): every answer `Cache-Control: no-store`, then the read token, then
 * `X-Min-Position`, all documented in OpenAPI under the tag `path`. Every read route is
 * declared through this decorator, so none can miss one of them.
 */
export function ReadApiController(path: string): ClassDecorator {
  return applyDecorators(
    ApiTags(path),
    ApiHeader({ name: MIN_POSITION_HEADER, required: false, description: 'Wait until the read models have applied this log position' }),
    ApiBearerAuth(),
    // Every read route: a malformed X-Min-Position (400), the read token (401), the database or the wait (503).
    ApiErrorResponses(400, 401, 503),
    // no-store first, so refusals carry it too; the token before the wait: nobody unauthenticated is held waiting.
    UseGuards(NoStoreGuard, ReadTokenGuard, MinPositionGuard),
    Controller(path),
  );
}

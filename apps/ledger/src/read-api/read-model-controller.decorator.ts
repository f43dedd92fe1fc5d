import { applyDecorators, Controller, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { ReadTokenGuard } from '../http/read-token.guard';
import { MIN_POSITION_HEADER, MinPositionGuard } from './consistency/min-position.guard';

/**
 * A controller over the read models at `path`: read token, then `X-Min-Position`, both
 * documented in OpenAPI under the tag `path`.
 */
export function ReadModelController(path: string): ClassDecorator {
  return applyDecorators(
    ApiTags(path),
    ApiHeader({ name: MIN_POSITION_HEADER, required: false, description: 'Wait until the read models have applied this log position' }),
    ApiBearerAuth(),
    UseGuards(ReadTokenGuard, MinPositionGuard), // the token first: nobody unauthenticated is held waiting
    Controller(path),
  );
}

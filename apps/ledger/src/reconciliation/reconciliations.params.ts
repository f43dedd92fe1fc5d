import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { IsBoundedInteger } from '../http/validation/param-decorators';

const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z)\|([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
export const RUN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export class ListReconciliationsParams {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional() @IsBoundedInteger(1, 100)
  limit = 20;

  @ApiPropertyOptional({ description: 'next_cursor of the previous page' })
  @IsOptional() @Matches(CURSOR, { message: 'cursor must be the next_cursor of a previous page' })
  cursor?: string;
}

export function decodeRunCursor(cursor: string | undefined): { startedAt: string; id: string } | undefined {
  const match = cursor ? CURSOR.exec(cursor) : null;
  return match ? { startedAt: match[1], id: match[3] } : undefined;
}

import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, ValidateBy } from 'class-validator';
import { parseStreamStart, STREAM_START_PROBLEM } from './stream-start';

export class EventStreamParams {
  @ApiPropertyOptional({
    description:
      'Start after this: a log position (0, the default: from the start) or an event id the stream sent ' +
      '(`<transaction_id>:<position>`). Last-Event-ID, when sent, wins.',
    example: '0',
  })
  @IsOptional()
  @ValidateBy({
    name: 'isStreamStart',
    validator: { validate: (value) => parseStreamStart(value) !== undefined, defaultMessage: () => `after ${STREAM_START_PROBLEM}` },
  })
  after?: string;
}

import { ApiProperty } from '@nestjs/swagger';

export class ReceivedMinuteDto {
  @ApiProperty({ format: 'date-time', description: 'Start of the minute' })
  minute!: string;

  @ApiProperty({ type: 'integer', description: 'Webhooks stored in that minute (duplicates and refusals are not stored)' })
  webhooks!: number;
}

export class ReceivedPerMinuteDto {
  @ApiProperty({ format: 'date-time' })
  from!: string;

  @ApiProperty({ format: 'date-time' })
  to!: string;

  @ApiProperty({ type: [ReceivedMinuteDto], description: 'Minutes with webhooks only, oldest first' })
  data!: ReceivedMinuteDto[];

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the newest webhook of the whole log arrived (null: none yet)' })
  last_received_at!: string | null;
}

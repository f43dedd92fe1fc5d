import { ApiProperty } from '@nestjs/swagger';

export class WebhookAcceptedDto {
  @ApiProperty({ example: 'evcus_0e16e42bc6e0c65b57' })
  event_id: string;

  @ApiProperty({ description: 'Global position of the event in the log', example: 42 })
  position: number;

  @ApiProperty({ description: 'true when this event was already stored by an earlier delivery' })
  duplicate: boolean;
}

import { ApiProperty } from '@nestjs/swagger';

export class ProjectDeliveryDto {
  @ApiProperty({ type: String, nullable: true, description: "The envelope's project_id (null: envelopes without one)" })
  project_id!: string | null;
  @ApiProperty({ format: 'date-time' })
  last_delivery_at!: string;
  @ApiProperty({ description: 'Nothing delivered for longer than WEBHOOK_SILENCE_MINUTES' })
  silent!: boolean;
}

export class DeliveriesHealthDto {
  @ApiProperty({ enum: ['ok', 'silent'], description: 'silent when any project is; ok before any webhook has arrived' })
  status!: 'ok' | 'silent';
  @ApiProperty()
  silence_minutes!: number;
  @ApiProperty({ format: 'date-time' })
  checked_at!: string;
  @ApiProperty({ type: [ProjectDeliveryDto], description: 'Newest first, at most 50 projects' })
  projects!: ProjectDeliveryDto[];
}

import { ApiPropertyOptional } from '@nestjs/swagger';
import { ProjectionStatusDto } from '../projector/projection-status.dto';
import { Enum, Int, Nested, NestedList, NullableNested, NullableNum, NullableText, NullableTime, Num, Text, Time } from '../http/openapi-props';

/** Progress of a rebuild as the rebuild reports it (its field names are camelCase, as the library gives them). */
export class RebuildProgressDto {
  @Text() projection!: string;
  @Int('Events applied so far') done!: number;
  @Int('Events to apply') total!: number;
  @Num() eventsPerSecond!: number;
  @NullableNum() etaSeconds!: number | null;
  @Enum(['loading', 'swapping', 'done']) phase!: string;
}

export class RebuildJobDto {
  @Text('Job id (UUID)', { format: 'uuid' }) id!: string;
  @Text() projection!: string;
  @Enum(['running', 'succeeded', 'failed']) state!: string;
  @NullableNested(RebuildProgressDto, 'null until the first report') progress!: RebuildProgressDto | null;
  @NullableText() error!: string | null;
  @Time() started_at!: string;
  @NullableTime() finished_at!: string | null;
}

export class RebuildStartedDto {
  @Text('The job to follow in GET /admin/projections', { format: 'uuid' }) job_id!: string;
  @Nested(() => RebuildJobDto) job!: RebuildJobDto;
}

export class AdminProjectionsDto {
  @NestedList(() => ProjectionStatusDto) data!: ProjectionStatusDto[];
  @NestedList(() => RebuildJobDto, 'Rebuilds started in this process (the newest 50)') rebuilds!: RebuildJobDto[];
}

export class DeadLetterDto {
  @Int() id!: number;
  @Text() projection!: string;
  @Text() event_id!: string;
  @Int() position!: number;
  @Text() error!: string;
  @NullableText() stack!: string | null;
  @Int() attempts!: number;
  @Time() parked_at!: string;
}

export class DeadLetterListDto {
  @NestedList(() => DeadLetterDto) data!: DeadLetterDto[];
}

export class RetryOutcomeDto {
  @Enum(['applied', 'failed'], 'applied: the event is in the read models now; failed: parked again') outcome!: string;
  @ApiPropertyOptional({ type: String, description: 'failed: the error' }) error?: string;
  @ApiPropertyOptional({ type: 'integer', description: 'failed: attempts so far' }) attempts?: number;
}

import { Int, NestedList, Num, NullableNested, NullableText, NullableTime, Text } from '../http/openapi-props';

export class CheckpointDto {
  @Int('Position of the last event applied') position!: number;
  @Text('Its transaction (xid8, decimal)', { pattern: '^[0-9]+$' }) transaction_id!: string;
}

export class ProjectionStatusDto {
  @Text('e.g. customers, ledger') name!: string;
  @NullableNested(CheckpointDto, 'null: never ran against this database') checkpoint!: CheckpointDto | null;
  @Int() events_applied!: number;
  @Int('Events not applied yet, in commit-safe order') events_behind!: number;
  @Num('Age of the oldest event not applied yet; 0 when caught up') lag_seconds!: number;
  @Int('Events it could not apply (GET /admin/dead-letters)') parked_events!: number;
  @NullableTime() updated_at!: string | null;
  @NullableText() last_error!: string | null;
  @NullableTime() last_error_at!: string | null;
}

export class ProjectionStatusListDto {
  @NestedList(() => ProjectionStatusDto) data!: ProjectionStatusDto[];
}

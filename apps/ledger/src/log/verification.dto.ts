import { Bool, Int, NullableAnyObject, NullableInt, NullableNested, Time } from '../http/openapi-props';

/** What the last `ledger verify` found. */
export class VerificationDto {
  @Time() finished_at!: string;
  @Bool('Whether the chain and every event checked out') ok!: boolean;
  @Int('Links checked') checked!: number;
  @Int('Events not chained yet, checked on their own') unchained!: number;
  @NullableInt('The position of the last link it reached') head_position!: number | null;
  @Int('Events an erasure redacted, each checked against its erasure record') redacted_events!: number;
  @Int('Erasure records on the chain') erasures!: number;
  @NullableAnyObject('The first problem: seq, position, column, reason') problem!: Record<string, unknown> | null;
}

export class LastVerificationDto {
  @NullableNested(VerificationDto, 'Null when verify never ran on this database') last!: VerificationDto | null;
}

import { ApiProperty } from '@nestjs/swagger';
import { OptionalTrue } from '../http/openapi-props';
import { LedgerEntryDto, LoyaltyCardDto } from '../points-ledger/ledger.dto';

export class EffectTransitionDto {
  @ApiProperty() reward_redemption_id!: string;
  @ApiProperty({ type: String, nullable: true, enum: ['CREATED', 'PENDING', 'COMPLETED', 'ROLLEDBACK'], description: 'The redemption state now' })
  state_now!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The state before (null: the first one)' }) from!: string | null;
  @ApiProperty() to!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) at!: string | null;
  @ApiProperty() event_id!: string;
  @ApiProperty({ description: 'False when the state machine refused it (see ignored_reason)' }) applied!: boolean;
  @ApiProperty({ required: false }) ignored_reason?: string;
  @OptionalTrue() at_untrusted?: true;
}

export class EffectHoldingDto {
  @ApiProperty({ type: String, nullable: true }) voucher_id!: string | null;
  @ApiProperty({ type: String, nullable: true }) customer_id!: string | null;
  @ApiProperty({ type: String, nullable: true }) code!: string | null;
  @ApiProperty({
    enum: ['acquired', 'snapshot', 'assigned', 'removed'],
    description: 'acquired: it gave the voucher to its holder; snapshot: the holding shows its fields; assigned/removed: a holder assignment',
  })
  role!: string;
  @ApiProperty({ type: String, nullable: true, description: "A holder assignment's role (REFEREE, ...)" }) holder_role!: string | null;
}

export class EffectParkedDto {
  @ApiProperty() projection!: string;
  @ApiProperty() error!: string;
  @ApiProperty({ format: 'date-time' }) parked_at!: string;
}

export class EventEffectsDto {
  @ApiProperty() event_id!: string;
  @ApiProperty({ type: [LedgerEntryDto], description: 'Entries whose event_ids name it, as GET /loyalty-cards/{id}/ledger lists them' })
  ledger_entries!: LedgerEntryDto[];
  @ApiProperty({ type: [EffectTransitionDto], description: 'Transitions it made, applied or ignored' })
  redemption_transitions!: EffectTransitionDto[];
  @ApiProperty({ type: [EffectHoldingDto] }) holdings!: EffectHoldingDto[];
  @ApiProperty({ type: [LoyaltyCardDto], description: "Cards whose state in force is this event's snapshot, as GET /loyalty-cards/{id} answers them" })
  cards_in_force!: LoyaltyCardDto[];
  @ApiProperty({ type: [EffectParkedDto], description: 'Projections that could not apply it' }) parked!: EffectParkedDto[];
  @ApiProperty({ type: [String], description: 'Projections that have not applied it yet' }) pending_projections!: string[];
}

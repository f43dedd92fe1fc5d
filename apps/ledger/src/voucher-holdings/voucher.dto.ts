import { CampaignStatus, VOUCHER_HOLDINGS_TABLE, withCampaignStatus } from '@ledger/projections';
import {
  Bool, Enum, Nested, NestedList, NullableAnyObject, NullableBool, NullableEnum, NullableInt, NullableNested, NullableText, NullableTime, Text,
} from '../http/openapi-props';

const HOLDING_STATUSES = ['active', 'used_up', 'disabled', 'deleted'] as const;
const CAMPAIGN_STATUSES = ['active', 'disabled', 'deleted'] as const;

export class VoucherRedemptionDto {
  @NullableInt() quantity!: number | null;
  @NullableInt() redeemed_quantity!: number | null;
  @Bool() quantity_unreadable!: boolean;
}

/** The fields a held voucher shows everywhere. */
export class HeldVoucherDto {
  @Text('v_...') voucher_id!: string;
  @NullableText() code!: string | null;
  @NullableText('e.g. DISCOUNT_VOUCHER, GIFT_VOUCHER, LOYALTY_CARD') type!: string | null;
  @NullableText() campaign_id!: string | null;
  @NullableText() campaign_name!: string | null;
  @NullableBool() active!: boolean | null;
  @NullableAnyObject('As Voucherify sent it') discount!: Record<string, unknown> | null;
  @NullableAnyObject('As Voucherify sent it') gift!: Record<string, unknown> | null;
  @Nested(() => VoucherRedemptionDto) redemption!: VoucherRedemptionDto;
  @NullableTime() acquired_at!: string | null;
  @Enum(['publication', 'reward', 'holder_assignment', 'unknown']) acquired_via!: string;
  @Bool() source_time_untrusted!: boolean;
  @Enum(HOLDING_STATUSES, "With its campaign's status folded in") status!: string;
  @NullableEnum(CAMPAIGN_STATUSES) campaign_status!: string | null;
}

export class VoucherHoldingDto extends HeldVoucherDto {
  @NullableText('The holder role of a holder assignment') holder_role!: string | null;
  @NullableText() customer_id!: string | null;

  /** A voucher_holdings row with its campaign_status and, for a holder assignment, its holder_role. */
  static fromRow(row: Record<string, any>): VoucherHoldingDto {
    const h = VOUCHER_HOLDINGS_TABLE.fromRow(row);
    const campaignStatus: CampaignStatus | null = row.campaign_status;
    return {
      voucher_id: h.voucherId,
      code: h.code,
      type: h.type,
      campaign_id: h.campaignId,
      campaign_name: h.campaignName,
      active: h.active,
      discount: h.discount,
      gift: h.gift,
      redemption: {
        quantity: h.quantity,
        redeemed_quantity: h.redeemedQuantity,
        // Given but not a safe integer: null, never 0 or rounded.
        quantity_unreadable: h.quantityUnreadable,
      },
      acquired_at: h.acquiredAt,
      acquired_via: h.acquiredVia,
      // The role a holder assignment gave (REFEREE, ...); null for a voucher held by its holder_id.
      holder_role: row.holder_role ?? null,
      // A time this holding is ordered by is the received time standing in for one that could not be believed.
      source_time_untrusted: h.acquiredAtUntrusted || h.snapshotAtUntrusted,
      status: withCampaignStatus(h.status, campaignStatus),
      campaign_status: campaignStatus,
      customer_id: h.customerId,
    };
  }
}

export class VoucherHoldingListDto {
  @NestedList(() => VoucherHoldingDto) data!: VoucherHoldingDto[];
}

export class VoucherHolderDto {
  @NullableText() id!: string | null;
  @NullableText() source_id!: string | null;
  @NullableText() name!: string | null;
}

export class VoucherCardBalancesDto {
  @NullableInt() points!: number | null;
  @NullableInt() balance!: number | null;
  @NullableInt() redeemed_points!: number | null;
  @NullableInt() pending_points!: number | null;
  @Bool() points_unreadable!: boolean;
}

export class VoucherDto extends HeldVoucherDto {
  @Nested(() => VoucherHolderDto) holder!: VoucherHolderDto;
  @NullableNested(VoucherCardBalancesDto, 'For a loyalty card: its balances; else null') loyalty_card!: VoucherCardBalancesDto | null;
}


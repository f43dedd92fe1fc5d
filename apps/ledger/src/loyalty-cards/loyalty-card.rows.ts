import { CampaignStatus, campaignStatusSql, columnNames, LOYALTY_CARDS_TABLE, loyaltyCardView } from '@ledger/projections';
import type { LoyaltyCardDto } from '../points-ledger/ledger.dto';

/** A card's row and its campaign's status, which the answer folds into the card's own. */
export const CARD_COLUMNS = `${columnNames(LOYALTY_CARDS_TABLE.columns)}, ${campaignStatusSql('loyalty_cards.campaign_id')} AS campaign_status`;

/** A loyalty_cards row as the API answers it; a row without campaign_status shows the card's own status alone. */
export function loyaltyCardOf(row: Record<string, any>): LoyaltyCardDto {
  // The view spreads the table's row (untyped); its shape is the DTO's, checked by the contract test.
  return loyaltyCardView(LOYALTY_CARDS_TABLE.fromRow(row), row.campaign_status as CampaignStatus | null | undefined) as LoyaltyCardDto;
}

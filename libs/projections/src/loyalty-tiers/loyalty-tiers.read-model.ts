import { KeyedReadModel, readKeys } from '../read-model';
import { columnNames } from '../sql-rows';
import { tableMapping } from '../table-mapping';
import { evolveLoyaltyTier, LoyaltyTierState, loyaltyTierKeys, tierKey, tierKeyPair } from './loyalty-tier.evolve';

export const LOYALTY_TIERS_TABLE = tableMapping<LoyaltyTierState>('loyalty_tiers', ['customer_id', 'campaign_id'], [
  { name: 'customer_id', type: 'text', field: 'customerId' },
  { name: 'campaign_id', type: 'text', field: 'campaignId' },
  { name: 'campaign_name', type: 'text', field: 'campaignName' },
  { name: 'tier_id', type: 'text', field: 'tierId' },
  { name: 'tier_name', type: 'text', field: 'tierName' },
  { name: 'since', type: 'timestamptz', field: 'since' },
  { name: 'source_time_untrusted', type: 'boolean', field: 'sourceTimeUntrusted' },
  { name: 'history', type: 'jsonb', field: 'history' },
]);

/** What the API answers for one campaign: the tier now (null after `left`), since when, and every change. */
export function loyaltyTierView(state: LoyaltyTierState) {
  return {
    campaign_id: state.campaignId,
    campaign_name: state.campaignName,
    tier: state.tierId === null ? null : { id: state.tierId, name: state.tierName },
    since: state.since,
    source_time_untrusted: state.sourceTimeUntrusted,
    history: state.history.map(({ campaign_name: _name, ...change }) => change),
  };
}

export const loyaltyTiersReadModel: KeyedReadModel<LoyaltyTierState> = {
  name: 'loyalty_tiers',
  tables: ['loyalty_tiers'],
  read: readKeys(loyaltyTierKeys),
  evolve: (state, { event }) => evolveLoyaltyTier(state, event),
  async load(client, keys) {
    // Keyed by (customer, campaign): one round trip for the batch's pairs.
    const pairs = keys.map(tierKeyPair).filter((pair) => pair !== undefined);
    const result = await client.query({
      name: 'select-loyalty_tiers-by-pair',
      text: `SELECT ${columnNames(LOYALTY_TIERS_TABLE.columns)} FROM loyalty_tiers
             WHERE (customer_id, campaign_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
      values: [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
    });
    const states = result.rows.map(LOYALTY_TIERS_TABLE.fromRow);
    return new Map(states.map((state) => [tierKey(state.customerId, state.campaignId), state]));
  },
  save: (client, changed) => LOYALTY_TIERS_TABLE.upsert(client, changed.values()),
};

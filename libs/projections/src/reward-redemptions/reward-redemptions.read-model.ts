import { KeyedReadModel, readKeys } from '../read-model';
import { oneRowPerDocument, tableMapping } from '../table-mapping';
import { evolveRewardRedemption, RewardRedemption, rewardRedemptionKeys } from './reward-redemption.evolve';

export const REWARD_REDEMPTIONS_TABLE = tableMapping<RewardRedemption>('reward_redemptions', ['id'], [
  { name: 'id', type: 'text', field: 'id' },
  { name: 'state', type: 'text', field: 'state' },
  { name: 'customer_id', type: 'text', field: 'customerId' },
  { name: 'voucher_id', type: 'text', field: 'voucherId' },
  { name: 'campaign_id', type: 'text', field: 'campaignId' },
  { name: 'reward_id', type: 'text', field: 'rewardId' },
  { name: 'reward_name', type: 'text', field: 'rewardName' },
  { name: 'reward_type', type: 'text', field: 'rewardType' },
  { name: 'points', type: 'bigint', field: 'points' },
  { name: 'source_id', type: 'text', field: 'sourceId' },
  { name: 'created_at', type: 'timestamptz', field: 'createdAt' },
  { name: 'updated_at', type: 'timestamptz', field: 'updatedAt' },
  { name: 'transitions', type: 'jsonb', field: 'transitions' },
  {
    // The state machine's inputs, kept in one document: every observation and the stamp of the details.
    name: 'observations',
    type: 'jsonb',
    write: (r) => ({ list: r.observations, details_stamp: r.detailsStamp }),
    read: (value: unknown) => {
      const { list, details_stamp } = value as { list: RewardRedemption['observations']; details_stamp: RewardRedemption['detailsStamp'] };
      return { observations: list, detailsStamp: details_stamp };
    },
  },
  { name: 'points_unreadable', type: 'boolean', field: 'pointsUnreadable' },
  { name: 'created_at_untrusted', type: 'boolean', field: 'createdAtUntrusted' },
]);

export const rewardRedemptionsReadModel: KeyedReadModel<RewardRedemption> = {
  name: 'reward_redemptions',
  tables: ['reward_redemptions'],
  read: readKeys(rewardRedemptionKeys),
  evolve: (state, { event }) => evolveRewardRedemption(state, event),
  ...oneRowPerDocument(REWARD_REDEMPTIONS_TABLE, 'id', (r) => r.id),
};

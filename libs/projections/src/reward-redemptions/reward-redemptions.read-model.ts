import type { KeyedReadModel } from '../read-model';
import { Column, selectByKeys, toIso, toNullableInt, upsertRows } from '../sql-rows';
import { evolveRewardRedemption, RewardRedemption, rewardRedemptionKeys } from './reward-redemption.evolve';

export const REWARD_REDEMPTION_COLUMNS: Column[] = [
  { name: 'id', type: 'text' },
  { name: 'state', type: 'text' },
  { name: 'customer_id', type: 'text' },
  { name: 'voucher_id', type: 'text' },
  { name: 'campaign_id', type: 'text' },
  { name: 'reward_id', type: 'text' },
  { name: 'reward_name', type: 'text' },
  { name: 'reward_type', type: 'text' },
  { name: 'points', type: 'bigint' },
  { name: 'source_id', type: 'text' },
  { name: 'created_at', type: 'timestamptz' },
  { name: 'updated_at', type: 'timestamptz' },
  { name: 'transitions', type: 'jsonb' },
  { name: 'observations', type: 'jsonb' },
  { name: 'points_unreadable', type: 'boolean' },
  { name: 'created_at_untrusted', type: 'boolean' },
];

export const rewardRedemptionsReadModel: KeyedReadModel<RewardRedemption> = {
  name: 'reward_redemptions',
  tables: ['reward_redemptions'],
  keysOf: rewardRedemptionKeys,
  evolve: (state, event) => evolveRewardRedemption(state, event),
  async load(client, keys) {
    const rows = await selectByKeys<Record<string, any>>(client, 'reward_redemptions', 'id', REWARD_REDEMPTION_COLUMNS, keys);
    return new Map(
      rows.map((row) => [
        row.id,
        {
          id: row.id,
          state: row.state,
          customerId: row.customer_id,
          voucherId: row.voucher_id,
          campaignId: row.campaign_id,
          rewardId: row.reward_id,
          rewardName: row.reward_name,
          rewardType: row.reward_type,
          points: toNullableInt(row.points),
          pointsUnreadable: row.points_unreadable === true,
          sourceId: row.source_id,
          createdAt: toIso(row.created_at),
          createdAtUntrusted: row.created_at_untrusted === true,
          updatedAt: toIso(row.updated_at),
          transitions: row.transitions,
          observations: row.observations.list,
          detailsStamp: row.observations.details_stamp,
        },
      ]),
    );
  },
  async save(client, changed) {
    const rows = [...changed.values()].map((r) => ({
      id: r.id,
      state: r.state,
      customer_id: r.customerId,
      voucher_id: r.voucherId,
      campaign_id: r.campaignId,
      reward_id: r.rewardId,
      reward_name: r.rewardName,
      reward_type: r.rewardType,
      points: r.points,
      source_id: r.sourceId,
      created_at: r.createdAt,
      updated_at: r.updatedAt,
      transitions: r.transitions,
      observations: { list: r.observations, details_stamp: r.detailsStamp },
      points_unreadable: r.pointsUnreadable,
      created_at_untrusted: r.createdAtUntrusted,
    }));
    await upsertRows(client, 'reward_redemptions', ['id'], REWARD_REDEMPTION_COLUMNS, rows);
  },
};

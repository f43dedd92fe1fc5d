import type { KeyedReadModel } from '../read-model';
import { Column, selectByKeys, toIso, upsertRows } from '../sql-rows';
import { CustomerProfile, customerKeys, evolveCustomer } from './customer.evolve';

export const CUSTOMER_COLUMNS: Column[] = [
  { name: 'id', type: 'text' },
  { name: 'source_id', type: 'text' },
  { name: 'name', type: 'text' },
  { name: 'email', type: 'text' },
  { name: 'metadata', type: 'jsonb' },
  { name: 'deleted', type: 'boolean' },
  { name: 'profile_rank', type: 'smallint' },
  { name: 'profile_at', type: 'timestamptz' },
  { name: 'profile_event_id', type: 'text' },
  { name: 'source_time_untrusted', type: 'boolean' },
];

export const customersReadModel: KeyedReadModel<CustomerProfile> = {
  name: 'customers',
  tables: ['customers'],
  keysOf: customerKeys,
  evolve: (state, event) => evolveCustomer(state, event),
  async load(client, keys) {
    const rows = await selectByKeys<Record<string, any>>(client, 'customers', 'id', CUSTOMER_COLUMNS, keys);
    return new Map(
      rows.map((row) => [
        row.id,
        {
          id: row.id,
          sourceId: row.source_id,
          name: row.name,
          email: row.email,
          metadata: row.metadata,
          deleted: row.deleted,
          profileRank: row.profile_rank,
          profileAt: toIso(row.profile_at),
          profileAtUntrusted: row.source_time_untrusted === true,
          profileEventId: row.profile_event_id,
        },
      ]),
    );
  },
  async save(client, changed) {
    const rows = [...changed.values()].map((c) => ({
      id: c.id,
      source_id: c.sourceId,
      name: c.name,
      email: c.email,
      metadata: c.metadata,
      deleted: c.deleted,
      profile_rank: c.profileRank,
      profile_at: c.profileAt,
      profile_event_id: c.profileEventId,
      source_time_untrusted: c.profileAtUntrusted,
    }));
    await upsertRows(client, 'customers', ['id'], CUSTOMER_COLUMNS, rows);
  },
};

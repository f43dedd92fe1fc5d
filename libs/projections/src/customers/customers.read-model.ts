import { KeyedReadModel, readKeys } from '../read-model';
import { oneRowPerDocument, tableMapping } from '../table-mapping';
import { CustomerProfile, customerKeys, evolveCustomer } from './customer.evolve';

export const CUSTOMERS_TABLE = tableMapping<CustomerProfile>('customers', ['id'], [
  { name: 'id', type: 'text', field: 'id' },
  { name: 'source_id', type: 'text', field: 'sourceId' },
  { name: 'name', type: 'text', field: 'name' },
  { name: 'email', type: 'text', field: 'email' },
  { name: 'phone', type: 'text', field: 'phone' },
  { name: 'metadata', type: 'jsonb', field: 'metadata' },
  { name: 'deleted', type: 'boolean', field: 'deleted' },
  { name: 'profile_rank', type: 'smallint', field: 'profileRank' },
  { name: 'profile_at', type: 'timestamptz', field: 'profileAt' },
  { name: 'profile_event_id', type: 'text', field: 'profileEventId' },
  { name: 'source_time_untrusted', type: 'boolean', field: 'profileAtUntrusted' },
]);

export const customersReadModel: KeyedReadModel<CustomerProfile> = {
  name: 'customers',
  tables: ['customers'],
  read: readKeys(customerKeys),
  evolve: (state, { event }) => evolveCustomer(state, event),
  ...oneRowPerDocument(CUSTOMERS_TABLE, 'id', (c) => c.id),
};

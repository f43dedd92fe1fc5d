import { KeyedReadModel, readKeys } from '../read-model';
import { oneRowPerDocument, tableMapping } from '../table-mapping';
import { CampaignState, campaignKeys, evolveCampaign } from './campaign.evolve';

export const CAMPAIGNS_TABLE = tableMapping<CampaignState>('campaigns', ['id'], [
  { name: 'id', type: 'text', field: 'id' },
  { name: 'name', type: 'text', field: 'name' },
  { name: 'active', type: 'boolean', field: 'active' },
  { name: 'status', type: 'text', field: 'status' },
  { name: 'deleted', type: 'boolean', field: 'deleted' },
  { name: 'deleted_at', type: 'timestamptz', field: 'deletedAt' },
  { name: 'state_at', type: 'timestamptz', field: 'stateAt' },
  { name: 'state_at_untrusted', type: 'boolean', field: 'stateAtUntrusted' },
  { name: 'state_event_id', type: 'text', field: 'stateEventId' },
]);

export const campaignsReadModel: KeyedReadModel<CampaignState> = {
  name: 'campaigns',
  tables: ['campaigns'],
  read: readKeys(campaignKeys),
  evolve: (state, { event }) => evolveCampaign(state, event),
  ...oneRowPerDocument(CAMPAIGNS_TABLE, 'id', (c) => c.id),
};

import type { ProjectedEvent } from '../projected-event';
import { compareStamps, Stamp } from '../projected-event';
import type { KeyedReadModel } from '../read-model';
import { obj, str, time } from '@ledger/voucherify';
import { tableMapping } from '../table-mapping';

/** The operator event that sets what a point of a campaign is worth from a time on. */
export const POINT_VALUE_SET = 'ledger.point_value.set';

export interface PointValue {
  campaignId: string;
  effectiveFrom: string;
  /** A decimal string, kept exact (numeric in PostgreSQL). */
  value: string;
  currency: string;
  setAt: string | null;
  eventId: string;
}

/** A campaign's point values, one per time they take effect. */
export interface CampaignPointValues {
  campaignId: string;
  values: PointValue[];
}

export const POINT_VALUES_TABLE = tableMapping<PointValue>('campaign_point_values', ['campaign_id', 'effective_from'], [
  { name: 'campaign_id', type: 'text', field: 'campaignId' },
  { name: 'effective_from', type: 'timestamptz', field: 'effectiveFrom' },
  { name: 'value', type: 'numeric', field: 'value' },
  { name: 'currency', type: 'text', field: 'currency' },
  { name: 'set_at', type: 'timestamptz', field: 'setAt' },
  { name: 'event_id', type: 'text', field: 'eventId' },
]);

const DECIMAL = /^\d{1,12}(\.\d{1,8})?$/;
const CURRENCY = /^[A-Z]{3}$/;

/**
 * The point value an operator event sets, if the event is one and comes from an operator. Its
 * fields were validated by the admin route; they are checked again here because the log is the
 * input of a replay, and a read model never trusts its input.
 */
export function pointValueOf(event: ProjectedEvent): PointValue | undefined {
  if (event.type !== POINT_VALUE_SET || event.signatureStatus !== 'operator') return undefined;
  const data = obj(event.data) ?? {};
  const campaignId = str(data.campaign_id);
  const effectiveFrom = time(data.effective_from);
  const value = typeof data.value === 'string' && DECIMAL.test(data.value) ? data.value : undefined;
  const currency = typeof data.currency === 'string' && CURRENCY.test(data.currency) ? data.currency : undefined;
  if (!campaignId || !effectiveFrom || !value || !currency) return undefined;
  return { campaignId, effectiveFrom, value, currency, setAt: event.occurredAt, eventId: event.eventId };
}

const stampOf = (v: PointValue): Stamp => ({ at: v.setAt, eventId: v.eventId });

/** One event's effect on a campaign's point values (reads the event: for tests and one-off folds). */
export function evolvePointValues(state: CampaignPointValues | undefined, event: ProjectedEvent, campaignId: string): CampaignPointValues | undefined {
  const set = pointValueOf(event);
  return set ? withPointValue(state, set, campaignId) : state;
}

function withPointValue(state: CampaignPointValues | undefined, set: PointValue, campaignId: string): CampaignPointValues | undefined {
  if (set.campaignId !== campaignId) return state;
  const current = state ?? { campaignId, values: [] };
  const known = current.values.find((v) => v.effectiveFrom === set.effectiveFrom);
  // Two settings for the same moment: the one set last wins, whatever the order of replay.
  if (known && compareStamps(stampOf(set), stampOf(known)) <= 0) return state;
  return { campaignId, values: [...current.values.filter((v) => v !== known), set] };
}

export const pointValuesReadModel: KeyedReadModel<CampaignPointValues, PointValue> = {
  name: 'point_values',
  tables: ['campaign_point_values'],
  read: (event) => {
    const set = pointValueOf(event);
    return set ? { event, keys: [set.campaignId], facts: set } : null;
  },
  evolve: (state, { facts }, campaignId) => withPointValue(state, facts, campaignId),
  async load(client, keys) {
    const values = await POINT_VALUES_TABLE.selectByKeys(client, 'campaign_id', keys);
    const byCampaign = new Map<string, CampaignPointValues>();
    for (const v of values) {
      const c = byCampaign.get(v.campaignId) ?? { campaignId: v.campaignId, values: [] };
      c.values.push({ ...v, value: String(v.value) });
      byCampaign.set(v.campaignId, c);
    }
    return byCampaign;
  },
  save: (client, changed) => POINT_VALUES_TABLE.upsert(client, [...changed.values()].flatMap((c) => c.values)),
};

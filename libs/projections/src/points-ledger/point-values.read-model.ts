import type { ProjectedEvent } from '../projected-event';
import { compareStamps, Stamp } from '../projected-event';
import type { KeyedReadModel } from '../read-model';
import { obj, str, time } from '@ledger/voucherify';
import { tableMapping } from '../table-mapping';

/**
 * A campaign's settings that an operator dates (effective from a time on), one table per kind:
 * what a point is worth (the report's liability), and the revenue estimate of IFRS 15's deferred
 * revenue (the value allocated to one point and the share of points expected to be redeemed).
 * Both are operator events in the log, folded the same way.
 */

/** The operator event that sets what a point of a campaign is worth from a time on. */
export const POINT_VALUE_SET = 'ledger.point_value.set';
/** The operator event that sets a campaign's revenue estimate from a time on. */
export const REVENUE_ESTIMATE_SET = 'ledger.revenue_estimate.set';

interface DatedSetting {
  campaignId: string;
  effectiveFrom: string;
  setAt: string | null;
  eventId: string;
}

export interface PointValue extends DatedSetting {
  /** A decimal string, kept exact (numeric in PostgreSQL). */
  value: string;
  currency: string;
}

export interface RevenueEstimate extends DatedSetting {
  /** The transaction price allocated to one point (IFRS 15), a decimal string. */
  valuePerPoint: string;
  currency: string;
  /** The share of issued points expected to be redeemed, a decimal string from 0 to 1. */
  expectedRedemptionShare: string;
}

/** A campaign's dated settings, one of each kind per time they take effect. */
export interface CampaignPointValues {
  campaignId: string;
  values: PointValue[];
  estimates: RevenueEstimate[];
}

type SettingFacts = { kind: 'value'; setting: PointValue } | { kind: 'estimate'; setting: RevenueEstimate };

export const POINT_VALUES_TABLE = tableMapping<PointValue>('campaign_point_values', ['campaign_id', 'effective_from'], [
  { name: 'campaign_id', type: 'text', field: 'campaignId' },
  { name: 'effective_from', type: 'timestamptz', field: 'effectiveFrom' },
  { name: 'value', type: 'numeric', field: 'value' },
  { name: 'currency', type: 'text', field: 'currency' },
  { name: 'set_at', type: 'timestamptz', field: 'setAt' },
  { name: 'event_id', type: 'text', field: 'eventId' },
]);

export const REVENUE_ESTIMATES_TABLE = tableMapping<RevenueEstimate>('campaign_revenue_estimates', ['campaign_id', 'effective_from'], [
  { name: 'campaign_id', type: 'text', field: 'campaignId' },
  { name: 'effective_from', type: 'timestamptz', field: 'effectiveFrom' },
  { name: 'value_per_point', type: 'numeric', field: 'valuePerPoint' },
  { name: 'currency', type: 'text', field: 'currency' },
  { name: 'expected_redemption_share', type: 'numeric', field: 'expectedRedemptionShare' },
  { name: 'set_at', type: 'timestamptz', field: 'setAt' },
  { name: 'event_id', type: 'text', field: 'eventId' },
]);

export const DECIMAL = /^\d{1,12}(\.\d{1,8})?$/;
/** A share from 0 to 1, at most 8 decimals. */
export const SHARE = /^(0(\.\d{1,8})?|1(\.0{1,8})?)$/;
export const CURRENCY = /^[A-Z]{3}$/;

const decimal = (v: unknown, pattern: RegExp) => (typeof v === 'string' && pattern.test(v) ? v : undefined);

/** The setting an operator event carries. Fields were validated by the admin route; checked again because a replay never trusts its input. */
function settingOf(event: ProjectedEvent): SettingFacts | undefined {
  if (event.signatureStatus !== 'operator' || (event.type !== POINT_VALUE_SET && event.type !== REVENUE_ESTIMATE_SET)) return undefined;
  const data = obj(event.data) ?? {};
  const campaignId = str(data.campaign_id);
  const effectiveFrom = time(data.effective_from);
  const currency = decimal(data.currency, CURRENCY);
  if (!campaignId || !effectiveFrom || !currency) return undefined;
  const dated = { campaignId, effectiveFrom, currency, setAt: event.occurredAt, eventId: event.eventId };
  if (event.type === POINT_VALUE_SET) {
    const value = decimal(data.value, DECIMAL);
    return value ? { kind: 'value', setting: { ...dated, value } } : undefined;
  }
  const valuePerPoint = decimal(data.value_per_point, DECIMAL);
  const expectedRedemptionShare = decimal(data.expected_redemption_share, SHARE);
  return valuePerPoint && expectedRedemptionShare ? { kind: 'estimate', setting: { ...dated, valuePerPoint, expectedRedemptionShare } } : undefined;
}

const stampOf = (v: DatedSetting): Stamp => ({ at: v.setAt, eventId: v.eventId });

/** The list with `set` in force from its time; two settings for one moment: the one set last wins, whatever the order of replay. */
function withSetting<T extends DatedSetting>(list: T[], set: T): T[] {
  const known = list.find((v) => v.effectiveFrom === set.effectiveFrom);
  if (known && compareStamps(stampOf(set), stampOf(known)) <= 0) return list;
  return [...list.filter((v) => v !== known), set];
}

function withFacts(state: CampaignPointValues | undefined, facts: SettingFacts, campaignId: string): CampaignPointValues | undefined {
  if (facts.setting.campaignId !== campaignId) return state;
  const current = state ?? { campaignId, values: [], estimates: [] };
  const next =
    facts.kind === 'value'
      ? { ...current, values: withSetting(current.values, facts.setting) }
      : { ...current, estimates: withSetting(current.estimates, facts.setting) };
  return next.values === current.values && next.estimates === current.estimates ? state : next;
}

/** One event's effect on a campaign's settings (reads the event: for tests and one-off folds). */
export function evolvePointValues(state: CampaignPointValues | undefined, event: ProjectedEvent, campaignId: string): CampaignPointValues | undefined {
  const facts = settingOf(event);
  return facts ? withFacts(state, facts, campaignId) : state;
}

export const pointValuesReadModel: KeyedReadModel<CampaignPointValues, SettingFacts> = {
  name: 'point_values',
  tables: ['campaign_point_values', 'campaign_revenue_estimates'],
  read: (event) => {
    const facts = settingOf(event);
    return facts ? { event, keys: [facts.setting.campaignId], facts } : null;
  },
  evolve: (state, { facts }, campaignId) => withFacts(state, facts, campaignId),
  async load(client, keys) {
    const [values, estimates] = await Promise.all([
      POINT_VALUES_TABLE.selectByKeys(client, 'campaign_id', keys),
      REVENUE_ESTIMATES_TABLE.selectByKeys(client, 'campaign_id', keys),
    ]);
    const byCampaign = new Map<string, CampaignPointValues>();
    const of = (campaignId: string) => {
      const c = byCampaign.get(campaignId) ?? { campaignId, values: [], estimates: [] };
      byCampaign.set(campaignId, c);
      return c;
    };
    for (const v of values) of(v.campaignId).values.push({ ...v, value: String(v.value) });
    for (const e of estimates) of(e.campaignId).estimates.push({ ...e, valuePerPoint: String(e.valuePerPoint), expectedRedemptionShare: String(e.expectedRedemptionShare) });
    return byCampaign;
  },
  async save(client, changed) {
    const campaigns = [...changed.values()];
    await POINT_VALUES_TABLE.upsert(client, campaigns.flatMap((c) => c.values));
    await REVENUE_ESTIMATES_TABLE.upsert(client, campaigns.flatMap((c) => c.estimates));
  },
};

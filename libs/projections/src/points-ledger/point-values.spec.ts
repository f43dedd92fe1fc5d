import { projectedEvent } from '../test-events';
import { evolvePointValues, POINT_VALUE_SET, REVENUE_ESTIMATE_SET } from './point-values.read-model';

const data = { campaign_id: 'camp_1', value: '0.0100', currency: 'EUR', effective_from: '2024-01-01T00:00:00Z' };
const operatorEvent = (eventId: string, at: string, value = '0.0100') => ({
  ...projectedEvent(POINT_VALUE_SET, { ...data, value }, at, eventId),
  signatureStatus: 'operator',
});

describe('evolvePointValues', () => {
  it('takes a point value from an operator event', () => {
    expect(evolvePointValues(undefined, operatorEvent('ev_1', '2024-02-01T00:00:00Z'), 'camp_1')?.values).toEqual([
      { campaignId: 'camp_1', effectiveFrom: '2024-01-01T00:00:00.000Z', value: '0.0100', currency: 'EUR', setAt: '2024-02-01T00:00:00Z', eventId: 'ev_1' },
    ]);
  });

  it('ignores the same event from anyone but an operator (a verified webhook, an import)', () => {
    for (const signatureStatus of ['verified', 'unsigned', 'imported']) {
      const forged = { ...operatorEvent('ev_f', '2024-02-01T00:00:00Z'), signatureStatus };
      expect(evolvePointValues(undefined, forged, 'camp_1')).toBeUndefined();
    }
  });

  it('refuses values that are not exact decimals, and keeps the value set last for one moment', () => {
    expect(evolvePointValues(undefined, operatorEvent('ev_x', '2024-02-01T00:00:00Z', '1e3'), 'camp_1')).toBeUndefined();
    const first = operatorEvent('ev_a', '2024-02-01T00:00:00Z', '0.0100');
    const second = operatorEvent('ev_b', '2024-03-01T00:00:00Z', '0.0200');
    const forward = evolvePointValues(evolvePointValues(undefined, first, 'camp_1'), second, 'camp_1');
    const backward = evolvePointValues(evolvePointValues(undefined, second, 'camp_1'), first, 'camp_1');
    expect(forward).toEqual(backward);
    expect(forward?.values.map((v) => v.value)).toEqual(['0.0200']);
  });

  it('keeps revenue estimates beside the point values, from operators only, with a share from 0 to 1', () => {
    const estimate = (eventId: string, share: string, signatureStatus = 'operator') => ({
      ...projectedEvent(REVENUE_ESTIMATE_SET, { campaign_id: 'camp_1', value_per_point: '0.01', expected_redemption_share: share, currency: 'EUR', effective_from: '2024-07-01T00:00:00Z' }, '2024-07-02T00:00:00Z', eventId),
      signatureStatus,
    });
    const withValue = evolvePointValues(undefined, operatorEvent('ev_v', '2024-02-01T00:00:00Z'), 'camp_1');
    const both = evolvePointValues(withValue, estimate('ev_e', '0.60'), 'camp_1');
    expect(both?.values).toEqual(withValue?.values);
    expect(both?.estimates).toEqual([
      { campaignId: 'camp_1', effectiveFrom: '2024-07-01T00:00:00.000Z', valuePerPoint: '0.01', expectedRedemptionShare: '0.60', currency: 'EUR', setAt: '2024-07-02T00:00:00Z', eventId: 'ev_e' },
    ]);
    for (const share of ['1.5', '-0.1', '0.6e1', '1.01']) expect(evolvePointValues(withValue, estimate('ev_x', share), 'camp_1')).toBe(withValue);
    expect(evolvePointValues(withValue, estimate('ev_f', '0.6', 'verified'), 'camp_1')).toBe(withValue);
  });
});

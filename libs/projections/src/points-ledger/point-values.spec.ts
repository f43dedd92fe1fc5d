import { projectedEvent } from '../test-events';
import { evolvePointValues, POINT_VALUE_SET } from './point-values.read-model';

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
});

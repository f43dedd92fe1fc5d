import { projectedEvent } from '../test-events';
import { CampaignState, campaignKeys, evolveCampaign, withCampaignStatus } from './campaign.evolve';

const event = (type: string, minute: number, extra: Record<string, any> = {}) =>
  projectedEvent(type, { campaign: { id: 'camp_1', name: 'Loyalty', ...extra } }, `2024-05-13T10:${String(minute).padStart(2, '0')}:00.000Z`, `ev_${type}_${minute}`);
const fold = (events: ReturnType<typeof event>[]) => events.reduce<CampaignState | undefined>((c, e) => evolveCampaign(c, e), undefined);

/** Every order of `events`. */
function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

describe('evolveCampaign', () => {
  it('lets the newest event by source time decide: a late campaign.disabled does not undo a later campaign.enabled', () => {
    const disabled = event('campaign.disabled', 1);
    const enabled = event('campaign.enabled', 2);
    expect(fold([enabled, disabled])).toMatchObject({ status: 'active', active: true, stateEventId: enabled.eventId });
    expect(fold([disabled])).toMatchObject({ status: 'disabled', active: false });
  });

  it('keeps a deletion final, and ends the same in every order', () => {
    const events = [
      event('campaign.disabled', 1),
      event('campaign.deleted', 2, { deleted_at: '2024-05-13T10:02:00Z' }),
      event('campaign.enabled', 3),
      event('campaign.deleted', 4, { deleted_at: '2024-05-13T10:02:00Z' }),
    ];
    const results = permutations(events).map(fold);
    for (const result of results) expect(result).toEqual(results[0]);
    // Dated by the earliest deletion seen.
    expect(results[0]).toMatchObject({ status: 'deleted', deleted: true, deletedAt: '2024-05-13T10:02:00.000Z' });
  });

  it('reads only campaign events with a campaign id', () => {
    expect(campaignKeys(event('campaign.updated', 1))).toEqual(['camp_1']);
    expect(campaignKeys(projectedEvent('voucher.disabled', { campaign: { id: 'camp_1' } }, null))).toEqual([]);
    expect(campaignKeys(projectedEvent('campaign.disabled', { campaign: 'camp_1' }, null))).toEqual([]);
  });

  it('folds into a voucher status: deleted, then disabled, then the voucher’s own', () => {
    expect(withCampaignStatus('used_up', 'deleted')).toBe('deleted');
    expect(withCampaignStatus('active', 'disabled')).toBe('disabled');
    expect(withCampaignStatus('deleted', 'disabled')).toBe('deleted');
    expect(withCampaignStatus('used_up', null)).toBe('used_up');
  });
});

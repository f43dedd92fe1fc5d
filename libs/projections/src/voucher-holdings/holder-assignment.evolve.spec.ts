import { projectedEvent } from '../test-events';
import { voucherHoldingsReadModel } from './voucher-holdings.read-model';
import { evolveHolderAssignment, HolderAssignment, holderAssignmentKeys } from './holder-assignment.evolve';
import { voucherHoldingKeys } from './voucher-holding.evolve';

/** The shape of the official example: data.holder is a redeemable holder, data.voucher.holder_id the code's owner. */
const assignment = (type: 'created' | 'deleted', eventId: string, at: string) =>
  projectedEvent(
    `customer.holder.assignment.${type}`,
    {
      customer: { id: 'cust_referee', object: 'customer', name: 'Referee' },
      holder: {
        id: 'rh_1',
        object: 'redeemable_holder',
        customer_id: 'cust_referee',
        holder_role: 'REFEREE',
        redeemable_id: 'v_ref',
        redeemable_object: 'voucher',
        campaign_id: 'camp_ref',
        campaign_type: 'REFERRAL_PROGRAM',
        voucher_type: 'DISCOUNT_VOUCHER',
        created_at: '2024-05-13T10:00:00.000Z',
      },
      voucher: { id: 'v_ref', code: 'REF-1', type: 'DISCOUNT_VOUCHER', campaign_id: 'camp_ref', campaign: 'Referrals', holder_id: 'cust_referrer', updated_at: at },
    },
    at,
    eventId,
  );
const created = assignment('created', 'ev_a_created', '2024-05-13T10:00:00.000Z');
const deleted = assignment('deleted', 'ev_a_deleted', '2024-05-13T11:00:00.000Z');
const fold = (events: ReturnType<typeof projectedEvent>[]) =>
  events.reduce<HolderAssignment | undefined>((a, e) => evolveHolderAssignment(a, e), undefined);

describe('evolveHolderAssignment', () => {
  it('makes the voucher held by the assigned customer in that role', () => {
    expect(holderAssignmentKeys(created)).toEqual(['rh_1']);
    expect(fold([created])).toMatchObject({
      holderId: 'rh_1',
      voucherId: 'v_ref',
      customerId: 'cust_referee',
      holderRole: 'REFEREE',
      code: 'REF-1',
      campaignId: 'camp_ref',
      assignedAt: '2024-05-13T10:00:00.000Z',
      removed: false,
    });
  });

  it('removes the holding on deletion, whichever arrives first', () => {
    expect(fold([deleted, created])).toEqual(fold([created, deleted]));
    expect(fold([deleted, created])).toMatchObject({ removed: true, removedEventId: 'ev_a_deleted', assignedEventId: 'ev_a_created' });
  });

  it('treats a repeat as a no-op', () => {
    const once = fold([created]);
    expect(evolveHolderAssignment(once, created)).toBe(once);
  });

  it("keeps the owner's holding (data.voucher.holder_id) apart from the referee's", () => {
    expect(voucherHoldingKeys(created)).toEqual(['v_ref']);
    const read = voucherHoldingsReadModel.read(created)!;
    expect(read.keys).toEqual(['v:v_ref', 'h:rh_1']);
    const owner = voucherHoldingsReadModel.evolve(undefined, read, 'v:v_ref');
    expect(owner).toMatchObject({ customerId: 'cust_referrer', acquiredVia: 'unknown' });
  });
});

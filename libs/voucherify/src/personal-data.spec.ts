import { personalDataOf, withoutPaths } from './personal-data';

const ann = { id: 'cust_ann', object: 'customer', source_id: 'ann@example.com', name: 'Ann Example', email: 'ann@example.com', phone: '+48 600 100 200', metadata: { vip: true }, address: { city: 'Kraków' } };

describe('personalDataOf', () => {
  it("finds the customer's fields wherever the customer appears, and their values repeated in metadata", () => {
    const payload = {
      id: 'evt_1',
      data: {
        customer: ann,
        referrer: { id: 'cust_ann', name: 'Ann Example', email: 'ann@example.com' },
        voucher: { id: 'v_1', code: 'REF-1', metadata: { referrer_email: 'ANN@example.com', campaign_note: 'spring' }, holder_id: 'cust_ann' },
        other: { id: 'cust_bob', name: 'Bob', email: 'bob@example.com' },
      },
    };
    const { paths } = personalDataOf(payload, 'cust_ann', { sourceId: 'email-like' });
    expect(paths.map((p) => p.join('.')).sort()).toEqual(
      [
        'data.customer.address',
        'data.customer.email',
        'data.customer.metadata',
        'data.customer.name',
        'data.customer.phone',
        'data.customer.source_id',
        'data.referrer.email',
        'data.referrer.name',
        'data.voucher.metadata.referrer_email',
      ].sort(),
    );
    const redacted = withoutPaths(payload, paths);
    expect(redacted.data.customer).toEqual({ id: 'cust_ann', object: 'customer' });
    expect(redacted.data.other).toEqual(payload.data.other);
    expect(redacted.data.voucher).toEqual({ id: 'v_1', code: 'REF-1', metadata: { campaign_note: 'spring' }, holder_id: 'cust_ann' });
    expect(JSON.stringify(redacted)).not.toMatch(/ann@example|Ann Example|600 100/i);
  });

  it('keeps a source id that is not an email, unless the shop says every source id is personal', () => {
    const payload = { data: { customer: { ...ann, source_id: 'shop-0001' } } };
    expect(personalDataOf(payload, 'cust_ann', { sourceId: 'email-like' }).paths.map((p) => p.join('.'))).not.toContain('data.customer.source_id');
    expect(personalDataOf(payload, 'cust_ann', { sourceId: 'always' }).paths.map((p) => p.join('.'))).toContain('data.customer.source_id');
  });

  it("removes a shop's own fields when configured, and finds nothing for a customer the payload does not name", () => {
    const payload = { data: { customer: { ...ann, loyalty_nickname: 'annie' } } };
    expect(personalDataOf(payload, 'cust_ann', { sourceId: 'never', extraFields: ['loyalty_nickname'] }).paths.map((p) => p.join('.'))).toContain('data.customer.loyalty_nickname');
    expect(personalDataOf(payload, 'cust_zed', { sourceId: 'always' }).paths).toEqual([]);
  });
});

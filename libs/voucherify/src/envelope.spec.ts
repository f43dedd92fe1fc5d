import { parseWebhookEnvelope } from './envelope';
import { canonicalEventType } from './event-types';

describe('parseWebhookEnvelope', () => {
  const v2024 = {
    id: 'whs_1',
    project_id: 'proj_1',
    created_at: '2024-01-18T15:19:26.595Z',
    type: 'voucher.published',
    data: { customer: { id: 'cust_1' } },
    source: { id: 'wh_1', object: 'webhook' },
    event: { id: 'evvou_1', type: 'voucher.published', created_at: '2024-05-13T10: 24: 01.084Z' },
  };

  it('takes identity from event.id and time from event.created_at', () => {
    const result = parseWebhookEnvelope(v2024);
    expect(result).toEqual({
      ok: true,
      envelope: {
        eventId: 'evvou_1',
        deliveryId: 'whs_1',
        type: 'voucher.published',
        projectId: 'proj_1',
        occurredAtRaw: '2024-05-13T10: 24: 01.084Z',
        occurredAt: new Date('2024-05-13T10:24:01.084Z'),
        customerId: 'cust_1',
        format: 'v2024-01-01',
      },
    });
  });

  it('prefers event.type over the free-text type of distribution webhooks', () => {
    const result = parseWebhookEnvelope({
      ...v2024,
      type: 'My loyalty distribution',
      event: { ...v2024.event, type: 'customer.reward_redemptions.completed' },
    });
    expect(result.ok && result.envelope.type).toBe('customer.reward_redemptions.completed');
  });

  it('accepts the retired v2018 format, whose id is the event id', () => {
    const result = parseWebhookEnvelope({
      id: 'evcus_legacy',
      object: 'event',
      webhook_id: 'wh_1',
      created_at: '2019-01-01T00:00:00Z',
      type: 'customer.created',
      data: { object: { id: 'cust_9' } },
      metadata: {},
    });
    expect(result.ok && result.envelope).toMatchObject({
      eventId: 'evcus_legacy',
      deliveryId: null,
      type: 'customer.created',
      format: 'v2018-08-01',
    });
  });

  it.each([
    [[], 'the payload must be a JSON object'],
    ['text', 'the payload must be a JSON object'],
    [null, 'the payload must be a JSON object'],
    [{ ...v2024, data: undefined }, 'data is missing or is not an object'],
    [{ ...v2024, data: [1] }, 'data is missing or is not an object'],
    [{ ...v2024, type: undefined, event: { id: 'evvou_1' } }, 'type is missing (neither event.type nor type is a non-empty string)'],
    [{ ...v2024, event: { type: 'voucher.published' } }, 'event.id is missing'],
    [{ ...v2024, event: 'evvou_1' }, 'event must be an object'],
    [{ type: 'x', data: {} }, 'id is missing (no event.id and no envelope id)'],
  ])('refuses %j', (body, problem) => {
    const result = parseWebhookEnvelope(body);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems).toContain(problem);
  });

  it('refuses ids too long to be real', () => {
    const result = parseWebhookEnvelope({ ...v2024, event: { ...v2024.event, id: 'e'.repeat(300) } });
    expect(result.ok).toBe(false);
  });

  it.each([
    [{ holder: { id: 'cust_h' } }, 'cust_h'],
    [{ voucher: { holder_id: 'cust_v' } }, 'cust_v'],
    [{ reward_redemption: { customer_id: 'cust_r' } }, 'cust_r'],
    [{ redemption: { customer_id: 'cust_x' } }, 'cust_x'],
    [{ voucher: {} }, null],
  ])('finds the customer of %j', (data, customerId) => {
    const result = parseWebhookEnvelope({ ...v2024, data });
    expect(result.ok && result.envelope.customerId).toBe(customerId);
  });
});

describe('parseWebhookEnvelope refuses control characters in identities', () => {
  it.each([
    ['an event id with a NUL', { event: { id: 'ev_1\u0000', type: 'customer.created' }, data: {} }, 'event id contains NUL or another control character'],
    ['an event id with a newline', { event: { id: 'ev_1\n', type: 'customer.created' }, data: {} }, 'event id contains NUL or another control character'],
    ['a type with a C1 control', { event: { id: 'ev_1', type: 'customer.created\u0085' }, data: {} }, 'type contains NUL or another control character'],
  ])('%s', (_name, body, problem) => {
    expect(parseWebhookEnvelope(body)).toEqual({ ok: false, problems: [problem] });
  });
});

describe('canonicalEventType', () => {
  it('folds distribution types onto project-settings types', () => {
    expect(canonicalEventType('customer.voucher.loyalty_card.points_added')).toBe('voucher.loyalty_card.points_added');
    expect(canonicalEventType('customer.redemption.succeeded')).toBe('redemption.succeeded');
    expect(canonicalEventType('customer.rewarded')).toBe('customer.rewarded');
    expect(canonicalEventType('customer.loyalty.tier.joined')).toBe('customer.loyalty.tier.joined');
  });
});

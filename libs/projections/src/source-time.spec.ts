import type { LogEvent } from '@ledger/event-store';
import { toProjectedEvent } from './read-model';
import { checkedTime, SOURCE_TIME_MAX_SKEW_MS, sourceTimeOf } from './source-time';
import { projectedEvent } from './test-events';

const RECEIVED = '2026-01-01T00:00:00.000Z';
const later = (ms: number) => new Date(Date.parse(RECEIVED) + ms).toISOString();

describe('checkedTime: source times are data, not authority', () => {
  it('believes a time before the received time, or within the skew after it', () => {
    expect(checkedTime('2024-05-13T10: 24: 01.084Z', RECEIVED)).toEqual({ at: '2024-05-13T10:24:01.084Z', untrusted: false });
    expect(checkedTime('0001-01-01T00:00:00Z', RECEIVED)).toEqual({ at: '0001-01-01T00:00:00.000Z', untrusted: false });
    expect(checkedTime(later(SOURCE_TIME_MAX_SKEW_MS), RECEIVED)).toEqual({ at: later(SOURCE_TIME_MAX_SKEW_MS), untrusted: false });
  });

  it.each([
    ['past the skew', later(SOURCE_TIME_MAX_SKEW_MS + 1)],
    ['the last day of year 9999', '9999-12-31T23:59:59.999Z'],
    ['year 0', '0000-01-01T00:00:00Z'],
    ['year 10000', '9999-12-31T24:00:00Z'],
    ['year 10000 as JavaScript writes it', '+010000-01-01T00:00:00.000Z'],
    ['text that is no time', 'tomorrow'],
    ['an empty string', ''],
    ['a number', 253402300799999],
    ['an object', {}],
  ])('replaces %s by the received time, flagged', (_name, value) => {
    expect(checkedTime(value, RECEIVED)).toEqual({ at: RECEIVED, untrusted: true });
  });

  it('answers undefined for a time not given', () => {
    expect(checkedTime(undefined, RECEIVED)).toBeUndefined();
    expect(checkedTime(null, RECEIVED)).toBeUndefined();
  });

  it('lets the first time given decide, else the event time', () => {
    const event = projectedEvent('voucher.updated', {}, '2024-01-01T00:00:00.000Z', 'ev_t', RECEIVED);
    expect(sourceTimeOf(event, null, '9999-12-31T00:00:00Z', '2024-02-01T00:00:00Z')).toEqual({ at: RECEIVED, untrusted: true });
    expect(sourceTimeOf(event, undefined, null)).toEqual({ at: '2024-01-01T00:00:00.000Z', untrusted: false });
  });
});

describe("toProjectedEvent: the event's own created_at", () => {
  const logEvent = (occurredAt: Date | null, occurredAtGiven: boolean): LogEvent => ({
    position: 1,
    transactionId: '1',
    eventId: `ev_${Math.random()}`,
    type: 'customer.updated',
    occurredAt,
    occurredAtGiven,
    receivedAt: new Date(RECEIVED),
    signatureStatus: 'verified',
    payload: { data: {} },
  });
  const own = (event: LogEvent) => {
    const projected = toProjectedEvent(event);
    return { at: projected.occurredAt, untrusted: projected.occurredAtUntrusted, receivedAt: projected.receivedAt };
  };

  it('keeps a believable time', () => {
    expect(own(logEvent(new Date('2025-06-01T00:00:00Z'), true))).toEqual({ at: '2025-06-01T00:00:00.000Z', untrusted: false, receivedAt: RECEIVED });
  });

  it('replaces a future time, a year 0 or 10000 an older parser stored, and one that did not parse by the received time', () => {
    for (const stored of [new Date('2027-01-01T00:00:00Z'), new Date('0000-06-01T00:00:00Z'), new Date('+010000-01-01T00:00:00Z')]) {
      expect(own(logEvent(stored, true))).toEqual({ at: RECEIVED, untrusted: true, receivedAt: RECEIVED });
    }
    expect(own(logEvent(null, true))).toEqual({ at: RECEIVED, untrusted: true, receivedAt: RECEIVED });
  });

  it('leaves a created_at never given as no time, as before', () => {
    expect(own(logEvent(null, false))).toEqual({ at: null, untrusted: false, receivedAt: RECEIVED });
  });
});

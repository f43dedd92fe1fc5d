import fc from 'fast-check';
import { eventsAfter, isAfter } from './log-reader';
import type { LogEvent } from './projector/log-event';

describe('eventsAfter', () => {
  it('is the events after the checkpoint, for any batch in safe order and any checkpoint', () => {
    const stamp = fc.record({ transactionId: fc.bigInt({ min: 1n, max: 50n }).map(String), position: fc.integer({ min: 1, max: 50 }) });
    fc.assert(
      fc.property(fc.array(stamp, { maxLength: 30 }), stamp, (stamps, checkpoint) => {
        const events = stamps
          .sort((a, b) => (isAfter(a, b) ? 1 : isAfter(b, a) ? -1 : 0))
          .map((s, i) => ({ ...s, eventId: `evt_${i}`, type: 't', occurredAt: null, payload: {} }) as LogEvent);
        expect(eventsAfter(events, checkpoint)).toEqual(events.filter((e) => isAfter(e, checkpoint)));
      }),
    );
  });
});

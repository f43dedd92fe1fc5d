import { projectedEvent } from '../test-events';
import { evolveClosedPeriod, PERIOD_CLOSED, PERIOD_REOPENED, periodFactsOf } from './closed-periods.read-model';

const REPORTS = { booked: { campaigns: [] }, due: { campaigns: [] } };
const operator = (type: string, data: Record<string, unknown>, eventId: string, signatureStatus = 'operator') => ({ ...projectedEvent(type, data, '2024-02-02T00:00:00Z', eventId), signatureStatus });
const close = (eventId: string, position = 7) => operator(PERIOD_CLOSED, { month: '2024-01', log_position: position, chain_head: null, reports: REPORTS }, eventId);
const reopen = (eventId: string) => operator(PERIOD_REOPENED, { month: '2024-01', reason: 'late invoice' }, eventId);
const fold = (events: ReturnType<typeof operator>[]) => events.reduce((state, e) => evolveClosedPeriod(state, periodFactsOf(e)), undefined as ReturnType<typeof evolveClosedPeriod>);

describe('evolveClosedPeriod', () => {
  it('closes a month once: a second closing changes nothing, a closing after a reopening keeps its own figures', () => {
    expect(fold([close('ev_1', 7)])).toMatchObject({ month: '2024-01', status: 'closed', closedEventId: 'ev_1', logPosition: 7 });
    expect(fold([close('ev_1', 7), close('ev_2', 9)])).toMatchObject({ closedEventId: 'ev_1', logPosition: 7 });
    expect(fold([close('ev_1', 7), reopen('ev_r')])).toMatchObject({ status: 'reopened', reopenReason: 'late invoice', reopenedEventId: 'ev_r', closedEventId: 'ev_1' });
    expect(fold([close('ev_1', 7), reopen('ev_r'), close('ev_2', 9)])).toMatchObject({ status: 'closed', closedEventId: 'ev_2', logPosition: 9, reopenedAt: null });
    expect(fold([reopen('ev_r')])).toBeUndefined();
  });

  it('takes closings from operators only, and only well formed', () => {
    expect(periodFactsOf(operator(PERIOD_CLOSED, { month: '2024-01', log_position: 7, reports: REPORTS }, 'ev_f', 'verified'))).toBeUndefined();
    for (const data of [
      { month: '2024-13', log_position: 7, reports: REPORTS },
      { month: '2024-01', log_position: -1, reports: REPORTS },
      { month: '2024-01', log_position: 7, reports: { booked: {} } },
      { month: '2024-01', log_position: '7', reports: REPORTS },
    ]) {
      expect(periodFactsOf(operator(PERIOD_CLOSED, data, 'ev_x'))).toBeUndefined();
    }
  });
});

import { DatabaseDeadlineExceeded, isDatabaseUnavailable, withDeadline } from './database-errors';

describe('isDatabaseUnavailable', () => {
  it.each([
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    Object.assign(new Error('the database system is starting up'), { code: '57P03' }),
    Object.assign(new Error('sorry, too many clients already'), { code: '53300' }),
    new Error('Connection terminated unexpectedly'),
    new Error('timeout exceeded when trying to connect'),
    new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })]),
    new DatabaseDeadlineExceeded(100),
    { code: 'ECONNRESET', message: 'from another realm' },
  ])('treats %p as retryable', (error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    Object.assign(new Error('duplicate key'), { code: '23505' }),
    Object.assign(new Error('invalid input syntax for type json'), { code: '22P02' }),
    new TypeError('undefined is not a function'),
    'a string',
    null,
  ])('treats %p as not retryable', (error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});

describe('withDeadline', () => {
  it('passes a result through', async () => {
    await expect(withDeadline(Promise.resolve(7), 50)).resolves.toBe(7);
  });

  it('rejects when the work is too slow', async () => {
    await expect(withDeadline(new Promise(() => undefined), 20)).rejects.toBeInstanceOf(DatabaseDeadlineExceeded);
  });
});

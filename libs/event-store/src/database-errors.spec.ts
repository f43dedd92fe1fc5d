import { classifyDatabaseError, DatabaseDeadlineExceeded, isDatabaseUnavailable, isTransientError, withDeadline } from './database-errors';

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
    Object.assign(new Error('cannot execute INSERT in a read-only transaction'), { code: '25006' }),
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

describe('classifyDatabaseError', () => {
  const pg = (code: string, message = 'x') => Object.assign(new Error(message), { code });

  it.each([
    [pg('25006', 'cannot execute INSERT in a read-only transaction'), 'unavailable'],
    [pg('57P01'), 'unavailable'],
    [pg('08006'), 'unavailable'],
    [pg('40001'), 'transient'],
    [pg('40P01'), 'transient'],
    [pg('55P03'), 'transient'],
    [pg('57014', 'canceling statement due to statement timeout'), 'transient'],
    [pg('0A000', 'cached plan must not change result type'), 'transient'],
    [Object.assign(new Error('moved'), { name: 'CheckpointMovedError' }), 'transient'],
    [pg('54001', 'stack depth limit exceeded'), 'unstorable'],
    [pg('54000', 'total size of jsonb object elements exceeds the maximum'), 'unstorable'],
    [pg('22P05', 'unsupported Unicode escape sequence'), 'unstorable'],
    [pg('22008', 'timestamp out of range'), 'unstorable'],
    [pg('23505', 'duplicate key'), 'other'],
    [pg('42P01', 'relation does not exist'), 'other'],
    [new TypeError('undefined is not a function'), 'other'],
  ])('%p is %s', (error, kind) => {
    expect(classifyDatabaseError(error)).toBe(kind);
  });

  it('retries what is unavailable or transient, nothing else', () => {
    expect(isTransientError(pg('25006'))).toBe(true);
    expect(isTransientError(pg('40001'))).toBe(true);
    expect(isTransientError(pg('54001'))).toBe(false);
    expect(isTransientError(pg('23505'))).toBe(false);
  });
});

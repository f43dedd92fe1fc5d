import { describeDatabaseFailure } from './database-probe';

const URL = 'postgres://ledger:pa55word-secret@db.internal:6543/ledger';

describe('describeDatabaseFailure', () => {
  it('names host, port and reason of an unreachable database, never the URL', () => {
    const refused = Object.assign(new Error(`connect ECONNREFUSED 10.0.0.1:6543`), { code: 'ECONNREFUSED' });
    expect(describeDatabaseFailure(URL, refused, 'check DATABASE_URL')).toBe(
      'cannot reach the database at db.internal:6543: connection refused; check DATABASE_URL',
    );
  });

  it('names the database and user of a refused login, and hides the password if the server echoes it', () => {
    const refused = Object.assign(new Error('password authentication failed for user "ledger" (pa55word-secret)'), { code: '28P01' });
    const line = describeDatabaseFailure(URL, refused, 'check DATABASE_URL');
    expect(line).toBe(
      'cannot use the database at db.internal:6543 (database "ledger", user "ledger"): password authentication failed for user "ledger" (***); check DATABASE_URL',
    );
  });
});

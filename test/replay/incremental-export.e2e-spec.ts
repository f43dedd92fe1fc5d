import { Client } from 'pg';
import { runCli } from '../support/cli';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { startTestApp } from '../support/test-app';
import { envelope, postWebhook, uniqueId } from '../support/voucherify';

const body = (id: string) => JSON.stringify(envelope('customer.created', { customer: { id: `cust_${id}` } }, { eventId: id }));

function exportedIds(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line).event.id);
}

/**
 * A transaction still open while an export runs can commit a lower position afterwards. An
 * incremental export that resumes after a position would never see that event; one that resumes
 * after the cursor in commit-safe order does.
 */
describe('ledger export --after <cursor>', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.drop());

  it('misses nothing that commits after an export, at a lower position, and repeats nothing', async () => {
    const service = await startTestApp(db.url, { projector: 'off' });
    const slow = new Client({ connectionString: db.url });
    await slow.connect();
    const sent: string[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        sent.push(uniqueId('evcus_before'));
        expect((await postWebhook(service.baseUrl, body(sent[sent.length - 1]))).status).toBe(202);
      }
      // A writer that takes its position now and commits only after the first export.
      const slowId = uniqueId('evcus_slow');
      await slow.query('BEGIN');
      const slowRow = await slow.query(
        `INSERT INTO events (event_id, event_type, raw_body, signature_status, envelope_format)
         VALUES ($1, 'customer.created', convert_to($2, 'UTF8'), 'imported', 'v2024-01-01') RETURNING global_position`,
        [slowId, body(slowId)],
      );
      const after: string[] = [];
      for (let i = 0; i < 2; i++) {
        after.push(uniqueId('evcus_after'));
        const answer = await postWebhook(service.baseUrl, body(after[after.length - 1]));
        expect(answer.status).toBe(202);
        expect(answer.json.position).toBeGreaterThan(Number(slowRow.rows[0].global_position));
      }

      const first = await runCli(['export'], { DATABASE_URL: db.url });
      expect(first.code).toBe(0);
      const cursor = JSON.parse(first.stderr.trim().split('\n').pop()!);
      expect(cursor).toMatchObject({ exported: exportedIds(first.stdout).length, next_after: expect.stringMatching(/^\d+:\d+$/) });

      await slow.query('COMMIT');
      const second = await runCli(['export', '--after', cursor.next_after], { DATABASE_URL: db.url });
      expect(second.code).toBe(0);

      const both = [...exportedIds(first.stdout), ...exportedIds(second.stdout)];
      expect(both.sort()).toEqual([...sent, slowId, ...after].sort());
      expect(exportedIds(second.stdout)).toContain(slowId);

      // Caught up: a third export from the second's cursor has nothing new.
      const next = JSON.parse(second.stderr.trim().split('\n').pop()!).next_after;
      const third = await runCli(['export', '--after', next], { DATABASE_URL: db.url });
      expect(exportedIds(third.stdout)).toEqual([]);
      expect(JSON.parse(third.stderr.trim().split('\n').pop()!)).toEqual({ exported: 0, next_after: next });
    } finally {
      await slow.end();
      await service.close();
    }
  }, 120_000);

  it('refuses a bare position and says what it needs', async () => {
    const result = await runCli(['export', '--after', '42'], { DATABASE_URL: db.url });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('must be the cursor a previous export printed (<transaction_id>:<position>)');
  }, 60_000);
});

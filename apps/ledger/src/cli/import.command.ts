import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Pool } from 'pg';
import { EventStore } from '@ledger/event-store';
import { parseWebhookEnvelope } from '@ledger/voucherify';
import { newEventFrom } from '../webhooks/new-event';

export interface ImportReport {
  appended: number;
  duplicates: number;
  conflicts: number;
  invalid: number;
  problems: string[];
}

const MAX_REPORTED_PROBLEMS = 50;

/**
 * Appends historic webhooks, one envelope per line, through the same dedup rules as the endpoint:
 * re-importing a file stores nothing new. Lines are read one at a time (constant memory); a bad
 * line is reported and skipped. Imported events are marked `imported` (no signature to check).
 */
export async function importEvents(pool: Pool, file: string): Promise<ImportReport> {
  const store = new EventStore(pool);
  const report: ImportReport = { appended: 0, duplicates: 0, conflicts: 0, invalid: 0, problems: [] };
  const problem = (line: number, message: string) => {
    if (report.problems.length < MAX_REPORTED_PROBLEMS) report.problems.push(`line ${line}: ${message}`);
  };
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let number = 0;
  for await (const line of lines) {
    number++;
    if (line.trim() === '') continue;
    let body: unknown;
    try {
      body = JSON.parse(line);
    } catch (error) {
      report.invalid++;
      problem(number, `not JSON: ${(error as Error).message}`);
      continue;
    }
    const parsed = parseWebhookEnvelope(body);
    if (!parsed.ok) {
      report.invalid++;
      problem(number, parsed.problems.join('; '));
      continue;
    }
    try {
      const result = await store.append(newEventFrom(parsed.envelope, Buffer.from(line), line, 'imported', {}));
      if (result.outcome === 'appended') report.appended++;
      else if (result.outcome === 'duplicate') report.duplicates++;
      else {
        report.conflicts++;
        problem(number, `event ${parsed.envelope.eventId} is stored with another type or data (position ${result.position})`);
      }
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (!code?.startsWith('22')) throw error; // data the database cannot store; anything else stops the import
      report.invalid++;
      problem(number, (error as Error).message);
    }
  }
  return report;
}

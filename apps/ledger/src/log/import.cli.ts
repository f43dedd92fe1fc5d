import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { CliIngest } from '../ingest/cli-ingest';

export interface ImportReport {
  appended: number;
  duplicates: number;
  conflicts: number;
  /** Lines refused, whatever the reason (the reasons are in `refused`). */
  invalid: number;
  /** Refused lines by reason, the same reasons the webhook endpoint answers with. */
  refused: Record<string, number>;
  problems: string[];
}

const MAX_REPORTED_PROBLEMS = 50;

/**
 * Appends historic webhooks, one envelope per line, through the service's own ingest use case:
 * the same limits, refusals and dedup as the endpoint, so re-importing a file stores nothing new.
 * Lines are read one at a time (constant memory) and appended in file order; a refused line is
 * reported and skipped. Imported events are marked `imported` (no signature to check). The
 * database going away stops the import (run it again: what was stored is a duplicate then).
 */
export async function importEvents(ingest: CliIngest, file: string): Promise<ImportReport> {
  const report: ImportReport = { appended: 0, duplicates: 0, conflicts: 0, invalid: 0, refused: {}, problems: [] };
  const problem = (line: number, message: string) => {
    if (report.problems.length < MAX_REPORTED_PROBLEMS) report.problems.push(`line ${line}: ${message}`);
  };
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let number = 0;
  for await (const line of lines) {
    number++;
    if (line.trim() === '') continue;
    const result = await ingest.ingest(Buffer.from(line));
    switch (result.outcome) {
      case 'appended':
        report.appended++;
        break;
      case 'duplicate':
        report.duplicates++;
        break;
      case 'conflict':
        report.conflicts++;
        problem(number, `event ${result.eventId} is stored with another type or data (position ${result.position})`);
        break;
      case 'refused':
        report.invalid++;
        report.refused[result.reason] = (report.refused[result.reason] ?? 0) + 1;
        problem(number, `${result.reason}: ${[result.message, ...(result.details ?? [])].join('; ')}`);
    }
  }
  return report;
}

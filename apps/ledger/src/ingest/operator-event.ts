import { randomUUID } from 'node:crypto';
import type { CommandBus } from '@nestjs/cqrs';
import { IngestCommand } from './ingest.command';

/**
 * Appends an event of the ledger's operators (a point value, a revenue estimate, a month's
 * closing) to the log, as a webhook would be, under the signature status `operator`: a replay
 * rebuilds what it sets like everything else, and no webhook can pass for one (the ingest refuses
 * `ledger.*` types from them).
 */
export async function appendOperatorEvent(commandBus: CommandBus, type: string, data: object): Promise<{ eventId: string; position: number }> {
  const now = new Date().toISOString();
  const event = { id: `opd_${randomUUID()}`, created_at: now, type, data, event: { id: `evop_${randomUUID()}`, type, created_at: now } };
  const result = await commandBus.execute(new IngestCommand(Buffer.from(JSON.stringify(event)), { kind: 'operator' }));
  // A fresh event id and a body built here: anything but appended is a bug of ours (500).
  if (result.outcome !== 'appended') throw new Error(`the ${type} event was not stored: ${result.outcome}`);
  return { eventId: result.eventId, position: result.position };
}

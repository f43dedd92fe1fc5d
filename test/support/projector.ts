import type { Pool } from 'pg';
import { ProjectionRunner } from '../../libs/event-store/src';
import { ALL_READ_MODELS, asProjection } from '../../libs/projections/src';

/** Projects everything committed so far into the read models, in this process. */
export async function projectAll(pool: Pool): Promise<void> {
  const runner = new ProjectionRunner(pool, ALL_READ_MODELS.map(asProjection), { batchSize: 100, pollIntervalMs: 1000 });
  try {
    await runner.drain();
  } finally {
    await runner.stop();
  }
}

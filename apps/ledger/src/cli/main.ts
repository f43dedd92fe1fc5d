import 'reflect-metadata';
import { Command, InvalidArgumentError } from 'commander';
import {
  listDeadLetters,
  projectionStatus,
  RebuildInterruptedError,
  RebuildLockedError,
  RebuildLockLostError,
  retryDeadLetter,
  verifyChain,
} from '@ledger/event-store';
import { ALL_READ_MODELS, asProjection, PROJECTION_NAMES } from '@ledger/projections';
import { ConfigError, LedgerConfig, loadConfig } from '../config/ledger-config';
import { openCliIngest } from './cli-ingest';
import { openCliDatabase } from './cli-database';
import { exportEvents } from './export.command';
import { importEvents } from './import.command';
import { replay } from './replay.command';

/** `npm run ledger -- <command>`: operator tools over the same database as the service. */
const program = new Command('ledger').description('Loyalty ledger operator commands').showHelpAfterError();

function positiveInt(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('must be a non-negative integer');
  return Number(value);
}

async function withDatabase<T>(work: (pool: import('pg').Pool, config: LedgerConfig) => Promise<T>): Promise<T> {
  const config = loadConfig(process.env, {}, { receivesWebhooks: false });
  const database = await openCliDatabase(config);
  try {
    return await work(database.pool, config);
  } finally {
    await database.close();
  }
}

const print = (value: unknown): void => {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
};

program
  .command('replay')
  .description('Rebuild projections from the log into shadow tables, then swap them in (live reads keep working)')
  .option('--projection <name>', `one of: ${PROJECTION_NAMES.join(', ')}`)
  .option('--all', 'every projection')
  .option('--until-position <n>', 'rebuild up to this log position; the live projector continues from there', positiveInt)
  .option('--fail-fast', 'stop at the first event a projection cannot apply instead of parking it')
  .option('--fresh', 'start over instead of resuming an interrupted rebuild')
  .option('--batch-size <n>', 'events per transaction', positiveInt)
  .action(async (options) => {
    const controller = new AbortController();
    const interrupt = () => controller.abort();
    process.once('SIGINT', interrupt);
    process.once('SIGTERM', interrupt);
    await withDatabase((pool) => replay(pool, options, controller.signal));
  });

program
  .command('status')
  .description("Every projection's checkpoint, lag and parked events")
  .action(() => withDatabase(async (pool) => print(await projectionStatus(pool, PROJECTION_NAMES))));

program
  .command('import <file>')
  .description('Append historic webhooks (NDJSON, one envelope per line) with the endpoint’s dedup rules')
  .action((file: string) =>
    withDatabase(async (pool, config) => {
      const ingest = await openCliIngest(config, pool);
      const report = await importEvents(ingest, file).finally(() => ingest.close());
      print(report);
      if (report.invalid + report.conflicts > 0) process.exitCode = 1;
    }),
  );

program
  .command('export')
  .description('Write the log to stdout as NDJSON, in position order')
  .option('--after <position>', 'only events after this position', positiveInt, 0)
  .action(async (options) => {
    await withDatabase((pool) => exportEvents(pool, process.stdout, options.after));
  });

program
  .command('verify')
  .description('Walk the event hash chain and report the first broken link')
  .action(() =>
    withDatabase(async (pool) => {
      const result = await verifyChain(pool);
      print(result);
      if (!result.ok) process.exitCode = 1;
    }),
  );

const deadLetters = program.command('dead-letters').description('Events a projection could not apply');
deadLetters
  .command('list', { isDefault: true })
  .option('--projection <name>')
  .action((options) => withDatabase(async (pool) => print(await listDeadLetters(pool, options.projection))));
deadLetters
  .command('retry <id>')
  .description('Apply a parked event again (after a fix)')
  .action((id: string) =>
    withDatabase(async (pool) => {
      const result = await retryDeadLetter(pool, ALL_READ_MODELS.map(asProjection), positiveInt(id));
      print(result);
      if (result.outcome !== 'applied') process.exitCode = 1;
    }),
  );

program.parseAsync(process.argv).catch((error) => {
  if (error instanceof RebuildInterruptedError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(130);
  }
  const known = error instanceof RebuildLockedError || error instanceof RebuildLockLostError || error instanceof ConfigError || error instanceof InvalidArgumentError;
  process.stderr.write(`${known ? error.message : error.stack ?? error}\n`);
  process.exit(1);
});

import 'reflect-metadata';
import { Command, InvalidArgumentError } from 'commander';
import {
  formatLogCursor,
  listDeadLetters,
  parseLogCursor,
  projectionStatus,
  RebuildInterruptedError,
  RebuildLockedError,
  RebuildLockLostError,
  parseKeptHead,
  retryDeadLetter,
} from '@ledger/event-store';
import { ALL_READ_MODELS, asProjection, PROJECTION_NAMES, UnknownProjectionError } from '@ledger/projections';
import { ConfigError, LedgerConfig, loadConfig } from '../config/ledger-config';
import { openCliIngest } from '../ingest/cli-ingest';
import { openCliDatabase } from './cli-database';
import { exportEvents } from '../log/export.cli';
import { importEvents } from '../log/import.cli';
import { replay } from '../replay/replay.cli';
import { parseLenientTimestamp } from '@ledger/voucherify';
import { timeParamProblem } from '../http/validation/time-param';
import { printableHead, verifyLog } from '../log/verify.cli';
import { eraseCustomer, ErasureRequestError } from '../erasure/erase.cli';

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
    await withDatabase((pool, config) => replay(pool, { ...options, maxMemoryMb: config.replayMaxMb }, controller.signal));
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

function exportCursor(value: string) {
  const cursor = parseLogCursor(value);
  if (!cursor) throw new InvalidArgumentError('must be the cursor a previous export printed (<transaction_id>:<position>)');
  return cursor;
}

program
  .command('export')
  .description('Write the log to stdout as NDJSON, in commit-safe order; prints the cursor for the next export to stderr')
  .option('--after <cursor>', 'continue after the cursor a previous export printed (<transaction_id>:<position>)', exportCursor)
  .action(async (options: { after?: ReturnType<typeof exportCursor> }) => {
    await withDatabase(async (pool) => {
      const { written, next } = await exportEvents(pool, process.stdout, options.after);
      process.stderr.write(`${JSON.stringify({ exported: written, next_after: formatLogCursor(next) })}\n`);
    });
  });

function keptHead(value: string) {
  const head = parseKeptHead(value);
  if (!head) throw new InvalidArgumentError('must be <position>:<sha256 hex>, as printed by `ledger verify --head`');
  return head;
}

program
  .command('verify')
  .description("Walk the event hash chain, check every event's payload and occurred_at against its raw bytes, report the first problem")
  .option('--head', 'only print the chain head (position, hash, time) to keep outside the database')
  .option('--expect-head <position:hash>', 'also require a head kept earlier to still be on the chain', keptHead)
  .action((options: { head?: boolean; expectHead?: ReturnType<typeof keptHead> }) =>
    withDatabase(async (pool) => {
      if (options.head) {
        const head = await printableHead(pool);
        if (!head) process.stderr.write('the chain is empty: nothing to keep yet\n');
        print(head);
        return;
      }
      const result = await verifyLog(pool, options.expectHead);
      print(result);
      if (result.keptHead && !result.keptHead.ok) process.stderr.write(`kept head ${result.keptHead.position}:${result.keptHead.hash}: ${result.keptHead.reason}\n`);
      if (result.firstBrokenLink) {
        const { position, column, reason } = result.firstBrokenLink;
        process.stderr.write(`event at position ${position}: ${column}: ${reason}\n`);
      }
      if (!result.ok) process.exitCode = 1;
    }),
  );

program
  .command('erase')
  .description("Erase a customer's personal data from the log, refused deliveries and read models; the chain stays provable (docs/security.md)")
  .requiredOption('--customer <id>', "Voucherify's customer id (cust_...) or the shop's source id")
  .option('--reason <text>', 'why (kept on the chain: write no personal data here)')
  .action((options: { customer: string; reason?: string }) =>
    withDatabase(async (pool, config) => {
      try {
        const erasure = await eraseCustomer(pool, config, options.customer, options.reason);
        print(erasure);
        if (erasure.status !== 'done') process.exitCode = 1;
      } catch (error) {
        if (!(error instanceof ErasureRequestError)) throw error;
        process.stderr.write(`${error.message}\n`);
        process.exitCode = 1;
      }
    }),
  );

const collect = (value: string, previous: string[]) => [...previous, value];
function isoTime(value: string): string {
  const problem = timeParamProblem('--since', value);
  if (problem) throw new InvalidArgumentError(problem);
  return parseLenientTimestamp(value)!.toISOString();
}

program
  .command('reconcile')
  .description(
    "Compare the ledger with Voucherify's API (balances, transactions by id) within a budget of calls; --backfill appends what is missing. Prints its plan first",
  )
  .option('--campaign <id>', 'a loyalty campaign (repeatable); default: every campaign the ledger knows', collect, [])
  .option('--card <id or code>', 'a loyalty card, by voucher id or code (repeatable): read on its own, 2 calls a card', collect, [])
  .option('--gaps-only', 'only cards with open gaps in the ledger (the cheap, frequent run)')
  .option('--since <time>', "only transactions created at or after this ISO 8601 time, read from the campaign's transactions list (1 call per 100)", isoTime)
  .option('--max-calls <n>', 'Voucherify calls this run may spend (default RECONCILE_MAX_CALLS); a plan over it is refused', (v) => positiveInt(v))
  .option('--backfill', 'append the transactions missing here through the ingest use case (signature_status "reconciled")')
  .option('--json', 'print the whole report as JSON instead of the table')
  .action(async (options: { campaign: string[]; card: string[]; gapsOnly?: boolean; since?: string; backfill?: boolean; maxCalls?: number; json?: boolean }) => {
    const controller = new AbortController();
    const interrupt = () => controller.abort();
    process.once('SIGINT', interrupt);
    process.once('SIGTERM', interrupt);
    // Loaded on use: the SDK and the reconciler would slow every other command's start.
    const { formatReport, reconcile } = await import('../reconciliation/reconcile.cli');
    await withDatabase(async (pool, config) => {
      const report = await reconcile(
        pool,
        config,
        {
          campaignIds: options.campaign,
          cardIds: options.card,
          gapsOnly: Boolean(options.gapsOnly),
          since: options.since ?? null,
          backfill: Boolean(options.backfill),
          maxCalls: options.maxCalls,
        },
        controller.signal,
      );
      if (options.json) print(report);
      else process.stdout.write(formatReport(report));
      if (report.summary.cards_differing + report.summary.cards_failed > 0) process.exitCode = 1;
    });
  });

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
  if (error instanceof RebuildInterruptedError || error?.name === 'ReconcileInterruptedError') {
    process.stderr.write(`${error.message}\n`);
    process.exit(130);
  }
  // Reconciliation that could not run at all (not configured, busy, refused, Voucherify down): 2.
  // By name: the reconcile modules are loaded only by that command.
  const cannotReconcile = [
    'ReconciliationNotConfiguredError',
    'ReconcileLockedError',
    'ReconcileRequestError',
    'ReconcileOverBudgetError',
    'VoucherifyBudgetSpentError',
    'VoucherifyAuthError',
    'VoucherifyUnavailableError',
    'VoucherifyRequestError',
  ].includes(error?.name);
  const known =
    cannotReconcile ||
    error instanceof UnknownProjectionError ||
    error instanceof RebuildLockedError ||
    error instanceof RebuildLockLostError ||
    error instanceof ConfigError ||
    error instanceof InvalidArgumentError;
  process.stderr.write(`${known ? error.message : error.stack ?? error}\n`);
  process.exit(cannotReconcile ? 2 : 1);
});

import { SingleBar } from 'cli-progress';
import type { Pool } from 'pg';
import { rebuildProjections, RebuildProgress } from '@ledger/event-store';
import { rebuildTargets } from '@ledger/projections';

export interface ReplayOptions {
  projection?: string;
  all?: boolean;
  untilPosition?: number;
  failFast?: boolean;
  fresh?: boolean;
  batchSize?: number;
  /** REPLAY_MAX_MB. */
  maxMemoryMb?: number;
}

const LOG_EVERY_MS = 2000;

/** A progress bar on a terminal; a plain line every two seconds otherwise. */
function progressReporter(stream: NodeJS.WriteStream): { update(p: RebuildProgress): void; stop(): void } {
  if (stream.isTTY) {
    const bar = new SingleBar(
      { format: '{projection} |{bar}| {value}/{total} events | {speed} ev/s | ETA {eta_formatted} | {phase}', stream, hideCursor: true },
    );
    let started = false;
    return {
      update(p) {
        const values = { projection: p.projection, speed: Math.round(p.eventsPerSecond), phase: p.phase };
        if (!started) {
          bar.start(p.total, p.done, values);
          started = true;
        }
        bar.setTotal(p.total);
        bar.update(p.done, values);
      },
      stop: () => bar.stop(),
    };
  }
  let last = 0;
  return {
    update(p) {
      if (p.phase === 'loading' && Date.now() - last < LOG_EVERY_MS) return;
      last = Date.now();
      const eta = p.etaSeconds === null ? '?' : `${Math.round(p.etaSeconds)}s`;
      stream.write(`[replay] ${p.projection} ${p.phase} ${p.done}/${p.total} events, ${Math.round(p.eventsPerSecond)} ev/s, ETA ${eta}\n`);
    },
    stop: () => undefined,
  };
}

export async function replay(pool: Pool, options: ReplayOptions, signal: AbortSignal): Promise<void> {
  if (!options.all && !options.projection) throw new Error('say which projection to rebuild: --projection <name> or --all');
  const targets = rebuildTargets(options.all ? 'all' : [options.projection!]);
  const reporter = progressReporter(process.stderr);
  try {
    // All targets in one pass over the log: each batch is read once for every projection.
    await rebuildProjections(pool, targets, {
      untilPosition: options.untilPosition,
      failFast: options.failFast,
      fresh: options.fresh,
      batchSize: options.batchSize,
      maxMemoryMb: options.maxMemoryMb,
      signal,
      onProgress: (p) => reporter.update(p),
    });
  } finally {
    reporter.stop();
  }
}

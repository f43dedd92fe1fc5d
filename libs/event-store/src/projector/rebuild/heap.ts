import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * The heap in use, as a rebuild's folds weigh it against REPLAY_MAX_MB. `heapUsed` counts garbage
 * not yet collected too, so after the folds flush, a full collection is run at once: otherwise the
 * heap still looks full after the flush, and the folds flush after every batch until V8 collects.
 */
export function heapInUse(): number {
  return process.memoryUsage().heapUsed;
}

let collect: (() => void) | undefined;

/** A full garbage collection (a few hundred ms at most; only after a flush made for memory). */
export function collectGarbage(): void {
  if (!collect) {
    // The documented way to reach V8's gc() without starting Node with --expose-gc.
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
}

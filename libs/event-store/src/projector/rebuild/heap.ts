import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | undefined;

/**
 * A full garbage collection (a few hundred ms at most), run after the folds flushed for memory:
 * `heapUsed`, which they weigh against REPLAY_MAX_MB, counts garbage not yet collected too, so
 * without it the heap still looks full after the flush, and the folds flush after every batch
 * until V8 collects.
 */
export function collectGarbage(): void {
  if (!collect) {
    // The documented way to reach V8's gc() without starting Node with --expose-gc.
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
}

import type { RebuildTarget } from '@ledger/event-store';
import { ALL_READ_MODELS } from './all-read-models';
import { asProjection } from './read-model';

export const PROJECTION_NAMES = ALL_READ_MODELS.map((m) => m.name);

/** An operator named a projection that does not exist: a mistake to explain in one line, not a bug. */
export class UnknownProjectionError extends Error {
  constructor(unknown: string[]) {
    super(`unknown projection ${unknown.join(', ')}; known: ${PROJECTION_NAMES.join(', ')}`);
    this.name = 'UnknownProjectionError';
  }
}

/** What `replay` rebuilds: the named projections, or all of them. Unknown names throw. */
export function rebuildTargets(names: string[] | 'all'): RebuildTarget[] {
  const wanted = names === 'all' ? PROJECTION_NAMES : names;
  const unknown = wanted.filter((n) => !PROJECTION_NAMES.includes(n));
  if (unknown.length > 0) throw new UnknownProjectionError(unknown);
  return ALL_READ_MODELS.filter((m) => wanted.includes(m.name)).map((m) => ({ projection: asProjection(m), tables: m.tables }));
}

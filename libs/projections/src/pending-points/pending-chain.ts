import type { PendingFact, PendingMovementKind } from './pending-facts';

/**
 * A movement of the card's pending points as the ledger books it: the fact, and where it leaves
 * the card. `pendingAfter = pendingBefore + points` and `pendingBefore = previous pendingAfter +
 * gapBefore` hold at every movement, so a period's opening + movements + unexplained = closing.
 */
export interface PendingMovement extends PendingFact {
  /** The signed change booked; null when neither the report nor the entry's history tells it. */
  points: number | null;
  pendingBefore: number;
  pendingAfter: number;
  /** Pending points no movement explains just before this one (a report went missing). */
  gapBefore: number;
  /** Position in the card's pending chain (1, 2, ...). */
  seq: number;
}

/** At one time an entry is added before it is updated, and updated before it ends. */
const RANK: Record<PendingMovementKind, number> = { added: 0, updated: 1, cancelled: 2, activated: 2 };
const timeOf = (at: string | null): number => (at === null ? -Infinity : Date.parse(at));

function byTimeThenLife(a: PendingFact, b: PendingFact): number {
  return timeOf(a.time.at) - timeOf(b.time.at) || RANK[a.movement] - RANK[b.movement] || (a.movementKey < b.movementKey ? -1 : a.movementKey > b.movementKey ? 1 : 0);
}

/**
 * The change a movement made when the report does not state it: from the entry's own points and
 * what the entry held before (an update's change needs the entry's earlier figure).
 */
function changeFromEntry(fact: PendingFact, held: number | undefined): number | null {
  if (fact.movement === 'added') return fact.entryPoints;
  if (fact.movement === 'updated') return held !== undefined && fact.entryPoints !== null ? fact.entryPoints - held : null;
  const moved = held ?? fact.entryPoints;
  return moved === null ? null : -moved;
}

/**
 * The card's pending chain from its facts (pure): walked in source time, and at one time in the
 * entry's life order, so the result never depends on arrival order. Where the report states the
 * card's pending points after the movement, that figure is believed (as a transaction's balance is
 * in the points ledger) and anything the chain does not explain before it is a gap.
 */
export function buildPendingChain(facts: PendingFact[]): PendingMovement[] {
  const held = new Map<string, number>();
  const movements: PendingMovement[] = [];
  let running = 0;
  for (const fact of [...facts].sort(byTimeThenLife)) {
    const entryHeld = fact.entryId === null ? undefined : held.get(fact.entryId);
    let points = fact.statedChange ?? changeFromEntry(fact, entryHeld);
    let before = running;
    if (fact.statedAfter !== null) {
      // Stated after, unknown change: the whole difference is the movement's own.
      if (points === null) points = fact.statedAfter - running;
      else before = fact.statedAfter - points;
    }
    const after = before + (points ?? 0);
    movements.push({ ...fact, points, pendingBefore: before, pendingAfter: after, gapBefore: before - running, seq: movements.length + 1 });
    running = after;
    if (fact.entryId !== null) {
      const ended = fact.movement === 'cancelled' || fact.movement === 'activated';
      held.set(fact.entryId, ended ? 0 : fact.entryPoints ?? (entryHeld ?? 0) + (points ?? 0));
    }
  }
  return movements;
}

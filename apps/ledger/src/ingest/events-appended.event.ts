/**
 * Published in-process after an append commits, to wake the projector early. Only a hint:
 * the projector catches up from the log alone, so a lost or late hint costs latency, never data.
 */
export class EventsAppended {
  constructor(readonly position: number) {}
}

/**
 * Published in-process after an append commits, to wake the followers of GET /events/stream early
 * (the projector hears PostgreSQL's NOTIFY instead). Only a hint: a follower catches up from the
 * log alone, so a lost or late hint costs latency, never data.
 */
export class EventsAppended {
  constructor(readonly position: number) {}
}

import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { LOG_START } from '@ledger/event-store';
import { LedgerConfig } from '../../config/ledger-config';
import { Follower } from './event-streams.service';

/** A follower over a real, unconnected ServerResponse: what it writes is buffered, never sent. */
function follower(): Follower {
  const raw = new ServerResponse(new IncomingMessage(new Socket()));
  return new Follower(raw, LOG_START, new LedgerConfig(), () => undefined);
}

const settled = async (promise: Promise<void>, withinMs: number) =>
  Promise.race([promise.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), withinMs))]);

describe('Follower: a wake is never lost', () => {
  const open: Follower[] = [];
  afterEach(() => open.splice(0).forEach((f) => f.raw.emit('close')));

  it('returns from the next sleep at once when woken while it was not asleep (reading, writing)', async () => {
    const f = follower();
    open.push(f);
    f.wake(); // an append, or the service stopping, while the loop was reading the log
    expect(await settled(f.sleep(60_000), 200)).toBe(true);
    // Remembered once only: the sleep after it waits again.
    expect(await settled(f.sleep(60_000), 200)).toBe(false);
  });

  it('wakes a sleeper, and a sleep that ran out does not swallow the next wake', async () => {
    const f = follower();
    open.push(f);
    await f.sleep(10); // ran out by itself
    f.wake();
    expect(await settled(f.sleep(60_000), 200)).toBe(true);
    const sleeping = f.sleep(60_000);
    f.wake();
    expect(await settled(sleeping, 200)).toBe(true);
  });
});

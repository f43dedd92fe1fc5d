import type { ServerResponse } from 'node:http';
import { HttpException, HttpStatus, Injectable, Logger, OnModuleDestroy, ServiceUnavailableException } from '@nestjs/common';
import { EventsHandler, IEventHandler, QueryBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { LedgerConfig } from '../../config/ledger-config';
import { EventsAppended } from '../../ingest/events-appended.event';
import { formatLogCursor, LogCursor } from '@ledger/event-store';
import { presentEventSummaryJson } from '../event.presenter';
import { ReadEventsAfterQuery } from './read-events-after.query';

/** Events read per query (also bounded by EVENTS_PAGE_BYTE_BUDGET). */
const PAGE = 100;
/** Past this many unsent bytes the client is cut off at once (a page is at most ~4 MiB; the drain wait keeps it far below). */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
/** Longest a stream waits for its loop when the service stops. */
const SHUTDOWN_WAIT_MS = 2000;

/** One open GET /events/stream. */
export class Follower {
  cursor: LogCursor;
  closed = false;
  done: Promise<void> = Promise.resolve();
  private wakeUp?: () => void;
  /** A wake that came while the loop was busy (reading, writing): the next sleep returns at once. */
  private pendingWake = false;
  private heartbeat?: NodeJS.Timeout;
  private slowTimer?: NodeJS.Timeout;

  constructor(
    readonly raw: ServerResponse,
    start: LogCursor,
    private readonly config: LedgerConfig,
    onClose: () => void,
  ) {
    this.cursor = start;
    raw.on('close', () => {
      this.closed = true;
      clearInterval(this.heartbeat);
      clearTimeout(this.slowTimer);
      this.wake();
      onClose();
    });
    raw.on('drain', () => {
      clearTimeout(this.slowTimer);
      this.slowTimer = undefined;
      this.wake();
    });
    this.heartbeat = setInterval(() => {
      if (!this.raw.writableNeedDrain) this.send(': heartbeat\n\n');
    }, config.streamHeartbeatMs);
  }

  /**
   * Writes a frame. A client that leaves what it was sent unread (the socket's buffer is full and
   * does not drain within STREAM_SLOW_CLIENT_MS, or holds more than MAX_BUFFERED_BYTES) is
   * disconnected: a slow reader is never buffered without bound. It may reconnect with Last-Event-ID.
   */
  send(frame: string): void {
    if (this.closed) return;
    const drained = this.raw.write(frame);
    if (this.raw.writableLength > MAX_BUFFERED_BYTES) return this.cut();
    if (!drained && !this.slowTimer) this.slowTimer = setTimeout(() => this.cut(), this.config.streamSlowClientMs);
  }

  /** Resolves on new events (or a poll's end), on drain, or on close, including one that came since the last sleep. */
  sleep(ms: number): Promise<void> {
    if (this.pendingWake || this.closed) {
      this.pendingWake = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (this.wakeUp === done) this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }

  wake(): void {
    const wakeUp = this.wakeUp;
    this.wakeUp = undefined;
    if (wakeUp) wakeUp();
    else this.pendingWake = true;
  }

  cut(): void {
    if (!this.closed) this.raw.destroy();
  }

  end(): void {
    if (!this.closed) this.raw.end();
  }
}

/**
 * GET /events/stream: Server-Sent Events of the log in commit-safe order. Each follower reads
 * pages through the QueryBus from its cursor, sends each event as `id: <transaction>:<position>`
 * and `data: <event JSON>`, and sleeps until an append wakes it (in process) or the poll interval
 * passes (appends of other processes). At most STREAM_MAX_CLIENTS at once; all end on shutdown.
 */
@Injectable()
export class EventStreams implements OnModuleDestroy {
  private readonly logger = new Logger(EventStreams.name);
  private readonly followers = new Set<Follower>();
  private stopping = false;

  constructor(
    private readonly queryBus: QueryBus,
    private readonly config: LedgerConfig,
  ) {}

  get open(): number {
    return this.followers.size;
  }

  /** Takes over the reply and follows the log from `start`; 429 when too many streams are open. */
  follow(reply: FastifyReply, start: LogCursor): void {
    if (this.stopping) throw new ServiceUnavailableException('the service is stopping');
    if (this.followers.size >= this.config.streamMaxClients) {
      reply.header('Retry-After', '5');
      throw new HttpException(`at most ${this.config.streamMaxClients} event streams may be open at once`, HttpStatus.TOO_MANY_REQUESTS);
    }
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no', // nginx: pass each event on at once
    });
    raw.socket?.setNoDelay(true);
    const follower = new Follower(raw, start, this.config, () => this.followers.delete(follower));
    this.followers.add(follower);
    follower.send(`retry: 2000\n: following the log after ${formatLogCursor(start)}\n\n`);
    follower.done = this.run(follower);
  }

  private async run(follower: Follower): Promise<void> {
    while (!follower.closed && !this.stopping) {
      let events;
      try {
        events = await this.queryBus.execute(new ReadEventsAfterQuery(follower.cursor, PAGE));
      } catch (error) {
        // The database away: heartbeats go on, the read is tried again after a poll interval.
        this.logger.warn({ err: (error as Error).message }, 'event stream could not read the log');
        await follower.sleep(this.config.projectorPollMs);
        continue;
      }
      for (const event of events) {
        if (follower.closed) return;
        const cursor = { transactionId: event.transactionId, position: event.position };
        follower.send(`id: ${formatLogCursor(cursor)}\ndata: ${presentEventSummaryJson(event)}\n\n`);
        follower.cursor = cursor;
        // Backpressure: nothing more is read for this client until its socket drains (or it is cut off).
        while (follower.raw.writableNeedDrain && !follower.closed) await follower.sleep(this.config.streamSlowClientMs);
      }
      if (events.length < PAGE) await follower.sleep(this.config.projectorPollMs);
    }
  }

  /** New events were committed in this process: every follower reads now instead of at its next poll. */
  wakeAll(): void {
    for (const follower of this.followers) if (!follower.raw.writableNeedDrain) follower.wake();
  }

  /** Ends every stream cleanly (clients reconnect elsewhere with Last-Event-ID) before the server closes. */
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    const loops = [...this.followers].map((f) => {
      f.end();
      f.wake();
      return f.done;
    });
    await Promise.race([Promise.all(loops), new Promise((r) => setTimeout(r, SHUTDOWN_WAIT_MS).unref())]);
  }
}

/** The in-process hint after an append: a follower reads at once instead of at its next poll. */
@EventsHandler(EventsAppended)
export class WakeStreamsOnAppend implements IEventHandler<EventsAppended> {
  constructor(private readonly streams: EventStreams) {}

  handle(): void {
    this.streams.wakeAll();
  }
}

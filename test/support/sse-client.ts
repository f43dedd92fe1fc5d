import { request, IncomingMessage, ClientRequest } from 'node:http';

export interface SseMessage {
  id?: string;
  data: string;
}

/**
 * A Server-Sent Events client over node:http, parsing the wire format by hand (WHATWG's "event
 * stream" rules: frames end at a blank line, `:` starts a comment, fields id/data/retry). Hand
 * written rather than the `eventsource` package so a test can also hold the socket unread (a slow
 * reader) and see heartbeats, which EventSource hides.
 */
export class SseClient {
  readonly messages: SseMessage[] = [];
  readonly comments: string[] = [];
  status = 0;
  headers: IncomingMessage['headers'] = {};
  body = '';
  ended = false;
  private buffer = '';
  private request!: ClientRequest;
  private response?: IncomingMessage;
  private waiters: (() => void)[] = [];
  readonly closed: Promise<void>;
  private resolveClosed!: () => void;

  private constructor() {
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
  }

  /** Opens `url` and resolves once the answer's head has arrived. */
  static open(url: string, headers: Record<string, string> = {}, options: { paused?: boolean } = {}): Promise<SseClient> {
    const client = new SseClient();
    return new Promise((resolve, reject) => {
      client.request = request(url, { headers: { accept: 'text/event-stream', ...headers } }, (response) => {
        client.response = response;
        client.status = response.statusCode ?? 0;
        client.headers = response.headers;
        if (options.paused) response.pause();
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => client.receive(chunk));
        const finish = () => {
          client.ended = true;
          client.notify();
          client.resolveClosed();
        };
        response.on('end', finish);
        response.on('close', finish);
        response.on('error', finish);
        resolve(client);
      });
      client.request.on('error', (error) => {
        client.ended = true;
        client.notify();
        client.resolveClosed();
        reject(error);
      });
      client.request.end();
    });
  }

  private receive(chunk: string): void {
    this.body += this.status === 200 ? '' : chunk;
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const frame = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const data: string[] = [];
      let id: string | undefined;
      for (const line of frame.split('\n')) {
        if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
        else if (line.startsWith('id:')) id = line.slice(3).trim();
      }
      if (data.length > 0) this.messages.push({ id, data: data.join('\n') });
    }
    this.notify();
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((w) => w());
  }

  /** Resolves once `condition` holds (checked on every chunk), or rejects after `timeoutMs`. */
  async until(condition: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (${this.messages.length} messages, ended ${this.ended})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(10, Math.min(200, deadline - Date.now())));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  resume(): void {
    this.response?.resume();
  }

  close(): void {
    this.request.destroy();
  }
}

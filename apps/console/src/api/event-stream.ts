import { authorizedFetch } from './client';
import type { EventSummary } from './models';

/**
 * Follows GET /events/stream (Server-Sent Events) with the operator's token. EventSource cannot
 * send an Authorization header, so the stream is read with fetch and parsed here (the SSE format:
 * `id:`, `event:`, `data:` lines, a blank line ends a message). On a dropped connection it resumes
 * from the last id it saw, as Last-Event-ID, so nothing is missed or doubled.
 */
export function followEvents(after: number, onEvent: (event: EventSummary) => void, onState: (state: 'live' | 'reconnecting' | 'failed', detail?: string) => void): () => void {
  const controller = new AbortController();
  let lastId = String(after);

  const run = async () => {
    while (!controller.signal.aborted) {
      try {
        const response = await authorizedFetch(`/events/stream?after=${encodeURIComponent(lastId)}`, {
          headers: { accept: 'text/event-stream', 'last-event-id': lastId },
          signal: controller.signal,
        });
        if (!response.ok || !response.body) {
          onState('failed', `${response.status} ${response.statusText}`);
          return;
        }
        onState('live');
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end: number;
          while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
            const message = buffer.slice(0, end);
            buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
            let data = '';
            let id: string | null = null;
            let type = 'message';
            for (const line of message.split(/\r?\n/)) {
              if (line.startsWith(':')) continue; // a heartbeat
              const [field, ...rest] = line.split(':');
              const text = rest.join(':').replace(/^ /, '');
              if (field === 'data') data += (data ? '\n' : '') + text;
              else if (field === 'id') id = text;
              else if (field === 'event') type = text;
            }
            if (id !== null) lastId = id;
            if (data && (type === 'message' || type === 'event')) onEvent(JSON.parse(data) as EventSummary);
          }
        }
      } catch (error) {
        if (controller.signal.aborted) return;
        onState('reconnecting', (error as Error).message);
      }
      if (!controller.signal.aborted) {
        onState('reconnecting');
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  };
  void run();
  return () => controller.abort();
}

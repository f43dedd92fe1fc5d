import { Agent, request as httpRequest } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { LoadRequest, LoadResult } from './load';
import { percentile } from './percentile';

const REQUEST_TIMEOUT_MS = 10_000;

/**
 * Open-loop load at a fixed rate, evenly paced (as wrk2 does), for latency at a given offered load.
 *
 * Why not autocannon's overallRate: it is a per-connection quota per second, so every connection
 * sends at full speed until its quota is spent and then waits for the next second. "70% load"
 * became full load for 70% of each second, and the latency measured was the full-load latency.
 *
 * Each request is timed from the moment it was due, not from when a connection was free, so a
 * stalled server shows in the latency instead of silently lowering the offered rate
 * (coordinated omission). It costs more CPU per request than autocannon (about 100 against 60 µs
 * at 3,000 requests/s), which the service's two cores share; undici's client measured the same.
 */
export async function pacedLoad(options: {
  url: string;
  method?: 'GET' | 'POST';
  /** Requests per second, spread evenly. */
  rate: number;
  durationSeconds: number;
  /** Most requests in flight at once (keep-alive connections). */
  connections: number;
  request: () => LoadRequest;
}): Promise<LoadResult & { sendLagP99Ms: number }> {
  const target = new URL(options.url);
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const total = Math.round(options.rate * options.durationSeconds);
  const intervalMs = 1000 / options.rate;
  const latencies: number[] = [];
  const sendLags: number[] = [];
  let non2xx = 0;
  let errors = 0;
  let ok = 0;

  const send = (dueAt: number) =>
    new Promise<void>((resolve) => {
      let settled = false;
      const done = (outcome: 'ok' | 'non2xx' | 'error') => {
        if (settled) return;
        settled = true;
        // A failed request counts in the latencies as at least the timeout: left out, or counted
        // at the moment it failed (a refused connection fails in a millisecond), it would make a
        // server that drops requests look faster.
        const elapsed = performance.now() - dueAt;
        latencies.push(outcome === 'error' ? Math.max(elapsed, REQUEST_TIMEOUT_MS) : elapsed);
        if (outcome === 'error') errors++;
        else if (outcome === 'ok') ok++;
        else non2xx++;
        resolve();
      };
      sendLags.push(performance.now() - dueAt);
      const { path, body, headers = {} } = options.request();
      const length = body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) };
      const req = httpRequest(
        {
          agent,
          host: target.hostname,
          port: target.port,
          method: options.method ?? 'GET',
          path: path ?? target.pathname,
          headers: { ...headers, ...length },
        },
        (response) => {
          response.resume();
          response.on('end', () => done(response.statusCode! >= 200 && response.statusCode! < 300 ? 'ok' : 'non2xx'));
          response.on('error', () => done('error')); // the connection died mid-answer
        },
      );
      // A request that fails or gets no answer in time counts as an error (as autocannon's timeouts did).
      req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error('timed out')));
      req.on('error', () => done('error'));
      req.end(body);
    });

  const inFlight: Promise<void>[] = [];
  const start = performance.now();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor((performance.now() - start) / intervalMs) + 1);
    for (; sent < due; sent++) inFlight.push(send(start + sent * intervalMs));
    await new Promise((r) => setTimeout(r, 1));
  }
  await Promise.all(inFlight);
  const elapsedSeconds = (performance.now() - start) / 1000;
  agent.destroy();

  latencies.sort((a, b) => a - b);
  sendLags.sort((a, b) => a - b);
  const ms = (values: number[], p: number) => Math.round(percentile(values, p));
  return {
    requestsPerSecond: ok / elapsedSeconds,
    p50Ms: ms(latencies, 50),
    p99Ms: ms(latencies, 99),
    non2xx,
    errors,
    total: latencies.length,
    // How late this process itself sent requests (its own event loop on the shared cores); part of the latency above.
    sendLagP99Ms: ms(sendLags, 99),
  };
}

import autocannon from 'autocannon';

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  total: number;
}

/** One request of a load: built afresh for each (unique events, random customers). */
export interface LoadRequest {
  path?: string;
  body?: string;
  headers?: Record<string, string>;
}

/**
 * autocannon with a fresh request per call (unique bodies, random paths): closed-loop load, for
 * the most a server can take. A fixed offered rate is pacedLoad's job (paced-load.ts).
 */
export async function load(options: {
  url: string;
  method?: 'GET' | 'POST';
  connections: number;
  durationSeconds: number;
  request: () => LoadRequest;
}): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationSeconds,
    requests: [
      {
        method: options.method ?? 'GET',
        setupRequest: (request: any) => ({ ...request, ...options.request() }),
      },
    ],
  });
  return {
    requestsPerSecond: result['2xx'] / options.durationSeconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    total: result.requests.total,
  };
}

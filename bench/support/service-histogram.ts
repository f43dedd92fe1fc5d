/**
 * The service's own view of ingest latency: its `ledger_ingest_duration_seconds` histogram on
 * /metrics, from Fastify receiving a request to the answer. Set next to the load generator's
 * figure, it tells whether a latency tail is inside the service (its handler, the group commit)
 * or outside it (the kernel, the accept queue, the generator waiting for a core).
 */

/** Cumulative request counts by bucket bound (seconds), summed over outcomes. */
export type Histogram = Map<number, number>;

export async function readIngestHistogram(baseUrl: string): Promise<Histogram> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const buckets: Histogram = new Map();
  for (const line of text.split('\n')) {
    const sample = /^ledger_ingest_duration_seconds_bucket\{(.*)\} (\S+)$/.exec(line);
    const bound = sample && /le="([^"]+)"/.exec(sample[1]);
    if (!sample || !bound) continue;
    const le = bound[1] === '+Inf' ? Number.POSITIVE_INFINITY : Number(bound[1]);
    buckets.set(le, (buckets.get(le) ?? 0) + Number(sample[2]));
  }
  return buckets;
}

/**
 * The upper bound (ms) of the bucket holding the `p`th percentile of the requests counted
 * between two readings: the true percentile is at most this, and above the bucket below it.
 * Infinity when it lies past the last finite bucket; NaN when nothing was counted.
 */
export function percentileBucketMs(before: Histogram, after: Histogram, p: number): number {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const counted = (le: number) => (after.get(le) ?? 0) - (before.get(le) ?? 0);
  const total = counted(Number.POSITIVE_INFINITY);
  if (!(total > 0)) return Number.NaN;
  const rank = (p / 100) * total;
  const bound = bounds.find((le) => counted(le) >= rank) ?? Number.POSITIVE_INFINITY;
  return bound * 1000;
}

import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { VoucherifyBudgetSpentError, VoucherifyHttp } from './voucherify-http';

/** A local server that records when each call came and answers with the headers given. */
async function server(headers: () => Record<string, string>): Promise<{ url: string; at: number[]; close: () => Promise<void> }> {
  const at: number[] = [];
  const s: Server = createServer((_req, res) => {
    at.push(Date.now());
    res.writeHead(200, { 'content-type': 'application/json', ...headers() });
    res.end('{}');
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, at, close: () => new Promise((r) => { s.closeAllConnections(); s.close(() => r()); }) };
}

const http = (url: string, extra: Partial<ConstructorParameters<typeof VoucherifyHttp>[0]> = {}) =>
  new VoucherifyHttp({ applicationId: 'a', secretKey: 'k', apiUrl: url, timeoutMs: 2000, retries: 0, concurrency: 4, callsPerMinute: 100, maxCalls: 100, ...extra });
const call = { endpoint: 'GET /x', what: 'x', method: 'GET' as const, path: '/x' };

describe('VoucherifyHttp: the pace and the budget of a run', () => {
  it('sends no more than callsPerMinute in any window: the third of 2-per-window waits for the first to leave it', async () => {
    const s = await server(() => ({}));
    try {
      const client = http(s.url, { callsPerMinute: 2, windowMs: 600 });
      // Measured from before the first send: an arrival comes after its send, however loaded the machine.
      const start = Date.now();
      await Promise.all([client.send(call), client.send(call), client.send(call)]);
      expect(s.at).toHaveLength(3);
      expect(s.at[2] - start).toBeGreaterThanOrEqual(600);
    } finally {
      await s.close();
    }
  });

  it('pauses when Voucherify says the minute is used up (X-Rate-Limit-Remaining: 0), for as long as it says', async () => {
    let first = true;
    const s = await server((): Record<string, string> => {
      if (!first) return { 'x-rate-limit-remaining': '50' };
      first = false;
      return { 'x-rate-limit-remaining': '0', 'retry-after': '1' };
    });
    try {
      const client = http(s.url);
      await client.send(call);
      await client.send(call);
      expect(s.at[1] - s.at[0]).toBeGreaterThanOrEqual(950);
    } finally {
      await s.close();
    }
  });

  it('sends nothing past the budget, and counts every call by endpoint', async () => {
    const s = await server(() => ({}));
    try {
      const client = http(s.url, { maxCalls: 2 });
      await client.send(call);
      await client.send({ ...call, endpoint: 'GET /y' });
      await expect(client.send(call)).rejects.toBeInstanceOf(VoucherifyBudgetSpentError);
      expect(s.at).toHaveLength(2);
      expect([client.callsSent, client.spent]).toEqual([2, { 'GET /x': 1, 'GET /y': 1 }]);
    } finally {
      await s.close();
    }
  });
});

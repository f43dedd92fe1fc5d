import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LedgerTruth } from './ledger-truth';

/**
 * Voucherify's API as docs/voucherify.md, section 10, documents it, on 127.0.0.1, for the
 * reconciliation tests: the members of a loyalty campaign (paged by `page`), one card with its
 * balance, and a card's transactions (paged by `starting_after_id`, answered with `has_more` and
 * `more_starting_after`). Auth by `X-App-Id` / `X-App-Token`; every answer carries the rate-limit
 * headers. Faults on demand: 429 with Retry-After, 5xx, slow answers (a request whose client leaves
 * before its slow answer is neither answered nor listed in `requests`).
 */
export interface FakeCard {
  voucher: Record<string, unknown>;
  balance: number;
  /** Newest first, as Voucherify lists them. */
  transactions: Record<string, unknown>[];
}

export interface FakeRequest {
  at: number;
  method: string;
  path: string;
  status: number;
  appId: string | undefined;
}

export interface FakeVoucherify {
  url: string;
  appId: string;
  secretKey: string;
  /** campaign id → card id → card */
  campaigns: Map<string, Map<string, FakeCard>>;
  requests: FakeRequest[];
  /** The next `count` requests answer 429 with `Retry-After: seconds`. */
  rateLimitNext(count: number, retryAfterSeconds: number): void;
  /** The next `count` requests answer `status` (a 5xx). */
  failNext(count: number, status?: number): void;
  /** Every answer waits this long first (0: none). */
  setDelay(ms: number): void;
  close(): Promise<void>;
}

const PAGE_MAX = 100;

/** The cards and transactions Voucherify holds for a generated truth: all of it, whatever was delivered. */
export function cardsFromTruth(truth: LedgerTruth): Map<string, Map<string, FakeCard>> {
  const campaigns = new Map<string, Map<string, FakeCard>>();
  for (const card of truth.cards) {
    const transactions: Record<string, unknown>[] = [];
    let balance = 0;
    let snapshot: Record<string, unknown> | undefined;
    for (const item of card.items) {
      if (item.kind === 'tx') {
        transactions.push({ ...(item.webhooks[0].data.transaction as object), source_id: null, source: null, reason: null, related_transaction_id: null });
        balance = item.after;
      } else if (item.kind === 'derived') balance = item.after;
      const hooks = 'webhooks' in item ? item.webhooks : [item.webhook];
      snapshot ??= hooks[0].data.voucher as Record<string, unknown>;
    }
    const voucher = { ...snapshot, object: 'voucher', loyalty_card: { points: balance, balance } };
    const cards = campaigns.get(card.campaignId) ?? new Map<string, FakeCard>();
    cards.set(card.voucherId, { voucher, balance, transactions: transactions.reverse() });
    campaigns.set(card.campaignId, cards);
  }
  return campaigns;
}

export async function startFakeVoucherify(campaigns: Map<string, Map<string, FakeCard>>): Promise<FakeVoucherify> {
  const appId = 'fake-app-id';
  const secretKey = 'fake-secret-key-5f0c2b8e';
  const requests: FakeRequest[] = [];
  let rateLimited = { count: 0, retryAfter: 0 };
  let failing = { count: 0, status: 503 };
  let delay = 0;

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', 'x-rate-limit-limit': '100', 'x-rate-limit-remaining': status === 429 ? '0' : '99', ...headers });
    res.end(JSON.stringify(body));
  };
  const notFound = (res: ServerResponse, what: string) => send(res, 404, { code: 404, key: 'not_found', message: 'Resource not found', details: `Cannot find ${what}` });

  const answer = (req: IncomingMessage, res: ServerResponse): number => {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (req.headers['x-app-id'] !== appId || req.headers['x-app-token'] !== secretKey) {
      send(res, 401, { code: 401, key: 'unauthorized', message: 'Unauthorized', details: 'Wrong credentials' });
      return 401;
    }
    if (rateLimited.count > 0) {
      rateLimited.count--;
      const retryAt = Math.ceil(Date.now() / 1000) + rateLimited.retryAfter;
      send(res, 429, { code: 429, key: 'too_many_requests', message: 'Too many requests' }, { 'retry-after': String(rateLimited.retryAfter), 'x-rate-limit-retry': String(retryAt) });
      return 429;
    }
    if (failing.count > 0) {
      failing.count--;
      send(res, failing.status, { code: failing.status, key: 'internal_error', message: 'Something went wrong' });
      return failing.status;
    }
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    // /v1/loyalties/{campaign}/members[/{member}[/transactions]]
    if (req.method !== 'GET' || parts[0] !== 'v1' || parts[1] !== 'loyalties' || parts[3] !== 'members') {
      notFound(res, url.pathname);
      return 404;
    }
    const cards = campaigns.get(parts[2]);
    if (!cards) {
      notFound(res, `campaign ${parts[2]}`);
      return 404;
    }
    const limit = Math.min(Number(url.searchParams.get('limit') ?? 10), PAGE_MAX);
    if (parts.length === 4) {
      const page = Number(url.searchParams.get('page') ?? 1);
      const all = [...cards.values()].map((c) => c.voucher);
      send(res, 200, { object: 'list', total: all.length, data_ref: 'vouchers', vouchers: all.slice((page - 1) * limit, page * limit) });
      return 200;
    }
    const card = cards.get(parts[4]);
    if (!card) {
      notFound(res, `voucher ${parts[4]}`);
      return 404;
    }
    if (parts.length === 5) {
      send(res, 200, card.voucher);
      return 200;
    }
    if (parts.length === 6 && parts[5] === 'transactions') {
      const after = url.searchParams.get('starting_after_id');
      const start = after ? card.transactions.findIndex((t) => t.id === after) + 1 : 0;
      const data = card.transactions.slice(start, start + limit);
      const hasMore = start + limit < card.transactions.length;
      send(res, 200, { object: 'list', data_ref: 'data', data, has_more: hasMore, more_starting_after: hasMore ? data[data.length - 1].id : null });
      return 200;
    }
    notFound(res, url.pathname);
    return 404;
  };

  // Answers waiting out the delay. One whose client has gone (a killed CLI) is dropped, and close()
  // drops the rest: a timer left behind kept the test's process alive for the rest of the delay.
  const delayed = new Set<NodeJS.Timeout>();
  const server: Server = createServer((req, res) => {
    const at = Date.now();
    const run = () => {
      const status = answer(req, res);
      requests.push({ at, method: req.method ?? '', path: new URL(req.url ?? '/', 'http://fake').pathname, status, appId: req.headers['x-app-id'] as string | undefined });
    };
    if (delay <= 0) return run();
    const timer = setTimeout(() => {
      delayed.delete(timer);
      run();
    }, delay);
    delayed.add(timer);
    res.on('close', () => {
      clearTimeout(timer);
      delayed.delete(timer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    appId,
    secretKey,
    campaigns,
    requests,
    rateLimitNext: (count, retryAfter) => (rateLimited = { count, retryAfter }),
    failNext: (count, status = 503) => (failing = { count, status }),
    setDelay: (ms) => (delay = ms),
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of delayed) clearTimeout(timer);
        delayed.clear();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

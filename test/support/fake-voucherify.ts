import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportCsv, ExportFile, FakeExports, exportFiles } from './fake-voucherify-exports';
import type { LedgerTruth } from './ledger-truth';

/**
 * Voucherify's API as strict as docs/voucherify.md, section 10, documents it, on 127.0.0.1, for the
 * reconciliation tests. Strict where a kinder fake would hide bugs users meet:
 * - a member is addressed by its card **code**: a `v_` id answers 404;
 * - `page` and `limit` at most 100: past them, 400 (page paging reaches 10,000 cards at most);
 * - at most `callsPerMinute` calls in any 60 s (100 by default, like Business): past it, 429 with
 *   `Retry-After` and `X-Rate-Limit-Retry`; every answer has `X-Rate-Limit-Limit` / `-Remaining`;
 * - every call is counted by endpoint (`callsByEndpoint`), downloads included.
 * Served: a campaign's members, one member, a member's transactions, the campaign's transactions
 * (newest first or oldest first, by `starting_after_id`), the campaign transactions export, the
 * campaign points-expiration export (point buckets), the vouchers export (`POST /v1/exports`, no campaign filter), `GET /v1/exports/{id}` and the CSV files.
 * Faults on demand: 429s, 5xx, slow answers (a request whose client leaves before its slow answer is
 * neither answered nor listed in `requests`).
 */
export interface FakeCard {
  voucher: Record<string, unknown>;
  balance: number;
  /** The card's point buckets, as the points-expiration export lists them (`lopb_` ids). */
  buckets?: FakeBucket[];
  /** Newest first, as Voucherify lists them. */
  transactions: Record<string, unknown>[];
}

export interface FakeBucket {
  id: string;
  status: 'ACTIVE' | 'EXPIRED';
  /** A date, `YYYY-MM-DD`. */
  expires_at: string;
  points: number;
}

/** The fields the points-expiration export knows (docs/voucherify.md, section 10); asking another is a 400. */
const POINT_BUCKET_FIELDS = ['id', 'campaign_id', 'voucher_id', 'status', 'expires_at', 'points'];

export interface FakeRequest {
  at: number;
  method: string;
  path: string;
  /** The documented endpoint the path matched, e.g. `GET /v1/loyalties/{campaignId}/members/{memberId}`. */
  endpoint: string;
  status: number;
  appId: string | undefined;
}

export interface FakeVoucherifyOptions {
  /** Calls allowed in any 60 s window (Business: 100). */
  callsPerMinute?: number;
  /** Rows per CSV file of an export: a bigger export is split into several files. */
  rowsPerExportFile?: number;
  /** How many times `GET /v1/exports/{id}` answers IN_PROGRESS before DONE. */
  exportPollsBeforeDone?: number;
}

export interface FakeVoucherify {
  url: string;
  appId: string;
  secretKey: string;
  /** campaign id → card id → card (kept by id; the API finds a member by code only). */
  campaigns: Map<string, Map<string, FakeCard>>;
  requests: FakeRequest[];
  /** Calls answered since `from` (an index into `requests`), by endpoint. */
  callsByEndpoint(from?: number): Record<string, number>;
  /** The next `count` requests answer 429 with `Retry-After: seconds`. */
  rateLimitNext(count: number, retryAfterSeconds: number): void;
  /** The next `count` requests answer `status` (a 5xx). */
  failNext(count: number, status?: number): void;
  /** Every answer waits this long first (0: none). */
  setDelay(ms: number): void;
  close(): Promise<void>;
}

const PAGE_MAX = 100;
const WINDOW_MS = 60_000;

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

class Refusal {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {}
}
const notFound = (what: string) => new Refusal(404, { code: 404, key: 'not_found', message: 'Resource not found', details: `Cannot find ${what}` });
const badRequest = (details: string) => new Refusal(400, { code: 400, key: 'invalid_query_params', message: 'Invalid query params', details });

/** `limit` and `page` as Voucherify checks them: whole numbers from 1 to 100, else 400. */
function paging(url: URL): { limit: number; page: number } {
  const read = (name: string, fallback: number) => {
    const raw = url.searchParams.get(name);
    if (raw === null) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > PAGE_MAX) throw badRequest(`${name} must be an integer from 1 to ${PAGE_MAX}, got ${raw}`);
    return n;
  };
  return { limit: read('limit', 10), page: read('page', 1) };
}

const createdAt = (t: Record<string, unknown>) => String(t.created_at ?? '');

/** A list answered by `starting_after_id`, in the order given. */
function afterCursor(items: Record<string, unknown>[], url: URL, limit: number) {
  const after = url.searchParams.get('starting_after_id');
  let start = 0;
  if (after) {
    const at = items.findIndex((t) => t.id === after);
    if (at < 0) throw badRequest(`starting_after_id ${after} is not in this list`);
    start = at + 1;
  }
  const data = items.slice(start, start + limit);
  const hasMore = start + limit < items.length;
  return { object: 'list', data_ref: 'data', data, has_more: hasMore, more_starting_after: hasMore ? data[data.length - 1].id : null };
}

async function readJson(req: IncomingMessage): Promise<Record<string, any>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new Refusal(400, { code: 400, key: 'invalid_payload', message: 'Invalid payload' });
  }
}

export async function startFakeVoucherify(campaigns: Map<string, Map<string, FakeCard>>, options: FakeVoucherifyOptions = {}): Promise<FakeVoucherify> {
  const appId = 'fake-app-id';
  const secretKey = 'fake-secret-key-5f0c2b8e';
  const callsPerMinute = options.callsPerMinute ?? 100;
  const requests: FakeRequest[] = [];
  const recentCalls: number[] = [];
  const exports: FakeExports = new Map();
  let rateLimited = { count: 0, retryAfter: 0 };
  let failing = { count: 0, status: 503 };
  let delay = 0;
  let exportCounter = 0;
  let baseUrl = '';

  const cardsOf = (campaignId: string) => {
    const cards = campaigns.get(campaignId);
    if (!cards) throw notFound(`campaign ${campaignId}`);
    return cards;
  };
  const memberByCode = (campaignId: string, code: string) => {
    for (const card of cardsOf(campaignId).values()) if (card.voucher.code === code) return card;
    throw notFound(`voucher with code ${code}`);
  };
  const campaignTransactions = (campaignId: string) =>
    [...cardsOf(campaignId).values()].flatMap((c) => c.transactions).sort((a, b) => createdAt(b).localeCompare(createdAt(a)) || String(b.id).localeCompare(String(a.id)));

  const startExport = (exportedObject: string, parameters: Record<string, any>, rows: () => Record<string, unknown>[]) => {
    const id = `exp_fake_${++exportCounter}`;
    const files = exportFiles(exportCsv(rows(), parameters.fields), options.rowsPerExportFile ?? 10_000);
    exports.set(id, { polls: 0, files, exportedObject, parameters });
    return { id, object: 'export', created_at: new Date().toISOString(), status: 'SCHEDULED', channel: 'API', exported_object: exportedObject, parameters, result: null };
  };
  const exportObject = (id: string) => {
    const found = exports.get(id);
    if (!found) throw notFound(`export ${id}`);
    found.polls++;
    const done = found.polls > (options.exportPollsBeforeDone ?? 1);
    const urls = found.files.map((_f: ExportFile, i: number) => `${baseUrl}/download/${id}/${i}?token=dl_${id}_${i}`);
    return {
      id,
      object: 'export',
      status: done ? 'DONE' : 'IN_PROGRESS',
      exported_object: found.exportedObject,
      parameters: found.parameters,
      result: done ? { url: urls[0], ...(urls.length > 1 ? { urls } : {}) } : null,
    };
  };

  /** Routes a request to its documented endpoint; answers [endpoint, body] or throws a Refusal. */
  const route = async (req: IncomingMessage, url: URL): Promise<[string, unknown, string?]> => {
    const p = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const method = req.method ?? 'GET';
    if (method === 'GET' && p[0] === 'download' && p.length === 3) {
      const file = exports.get(p[1])?.files[Number(p[2])];
      if (!file || url.searchParams.get('token') !== `dl_${p[1]}_${p[2]}`) throw notFound('file');
      return ['GET /download/{file}', file, 'text/csv'];
    }
    if (p[0] !== 'v1') throw notFound(url.pathname);
    if (method === 'GET' && p[1] === 'exports' && p.length === 3) return ['GET /v1/exports/{exportId}', exportObject(p[2])];
    if (method === 'POST' && p[1] === 'exports' && p.length === 2) {
      const body = await readJson(req);
      if (body.exported_object !== 'voucher') throw badRequest(`this fake exports vouchers only, not ${body.exported_object}`);
      if (body.parameters?.filters?.campaign_id) throw badRequest('the vouchers export has no campaign_id filter');
      const rows = () => [...campaigns.values()].flatMap((cards) => [...cards.values()].map(voucherRow));
      return ['POST /v1/exports', startExport('voucher', body.parameters ?? {}, rows)];
    }
    if (p[1] !== 'loyalties' || p.length < 4) throw notFound(url.pathname);
    const campaignId = p[2];
    if (method === 'POST' && p[3] === 'transactions' && p[4] === 'export' && p.length === 5) {
      const body = await readJson(req);
      const after: string | undefined = body.parameters?.filters?.created_at?.conditions?.$after?.[0];
      const rows = () => campaignTransactions(campaignId).filter((t) => !after || createdAt(t) > after).reverse().map(transactionRow);
      cardsOf(campaignId);
      return ['POST /v1/loyalties/{campaignId}/transactions/export', startExport('voucher_transactions', body.parameters ?? {}, rows)];
    }
    if (method === 'POST' && p[3] === 'points-expiration' && p[4] === 'export' && p.length === 5) {
      const body = await readJson(req);
      const fields: unknown = body.parameters?.fields;
      if (fields !== undefined && (!Array.isArray(fields) || fields.some((f) => !POINT_BUCKET_FIELDS.includes(f)))) throw badRequest(`the points-expiration export knows the fields ${POINT_BUCKET_FIELDS.join(', ')}`);
      const rows = () =>
        [...cardsOf(campaignId).values()].flatMap((card) => (card.buckets ?? []).map((b) => ({ ...b, campaign_id: campaignId, voucher_id: card.voucher.id })));
      cardsOf(campaignId);
      return ['POST /v1/loyalties/{campaignId}/points-expiration/export', startExport('points_expiration', body.parameters ?? {}, rows)];
    }
    if (method !== 'GET') throw notFound(url.pathname);
    const { limit, page } = paging(url);
    if (p[3] === 'transactions' && p.length === 4) {
      const order = url.searchParams.get('order') ?? '-created_at';
      if (order !== 'created_at' && order !== '-created_at') throw badRequest(`order must be created_at or -created_at, got ${order}`);
      const all = campaignTransactions(campaignId);
      return ['GET /v1/loyalties/{campaignId}/transactions', afterCursor(order === 'created_at' ? all.reverse() : all, url, limit)];
    }
    if (p[3] !== 'members') throw notFound(url.pathname);
    if (p.length === 4) {
      const all = [...cardsOf(campaignId).values()].map((c) => c.voucher);
      return ['GET /v1/loyalties/{campaignId}/members', { object: 'list', total: all.length, data_ref: 'vouchers', vouchers: all.slice((page - 1) * limit, page * limit) }];
    }
    const card = memberByCode(campaignId, p[4]);
    if (p.length === 5) return ['GET /v1/loyalties/{campaignId}/members/{memberId}', card.voucher];
    if (p.length === 6 && p[5] === 'transactions') return ['GET /v1/loyalties/{campaignId}/members/{memberId}/transactions', afterCursor(card.transactions, url, limit)];
    throw notFound(url.pathname);
  };

  const rateHeaders = () => ({ 'x-rate-limit-limit': String(callsPerMinute), 'x-rate-limit-remaining': String(Math.max(0, callsPerMinute - recentCalls.length)) });
  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}, contentType = 'application/json') => {
    res.writeHead(status, { 'content-type': contentType, ...rateHeaders(), ...headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
  const tooMany = (res: ServerResponse, retryAfter: number) => {
    const retryAt = Math.ceil(Date.now() / 1000) + retryAfter;
    send(res, 429, { code: 429, key: 'too_many_requests', message: 'Too many requests' }, { 'retry-after': String(retryAfter), 'x-rate-limit-retry': String(retryAt) });
  };

  const answer = async (req: IncomingMessage, res: ServerResponse): Promise<[number, string]> => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const isDownload = url.pathname.startsWith('/download/');
    if (!isDownload && (req.headers['x-app-id'] !== appId || req.headers['x-app-token'] !== secretKey)) {
      send(res, 401, { code: 401, key: 'unauthorized', message: 'Unauthorized', details: 'Wrong credentials' });
      return [401, 'unauthorized'];
    }
    // Files come from the download host, outside the API's rate limit (counted all the same).
    const now = Date.now();
    while (recentCalls.length > 0 && recentCalls[0] <= now - WINDOW_MS) recentCalls.shift();
    if (!isDownload && recentCalls.length >= callsPerMinute) {
      tooMany(res, Math.max(1, Math.ceil((recentCalls[0] + WINDOW_MS - now) / 1000)));
      return [429, 'rate limited'];
    }
    if (!isDownload) recentCalls.push(now);
    if (rateLimited.count > 0) {
      rateLimited.count--;
      tooMany(res, rateLimited.retryAfter);
      return [429, 'rate limited'];
    }
    if (failing.count > 0) {
      failing.count--;
      send(res, failing.status, { code: failing.status, key: 'internal_error', message: 'Something went wrong' });
      return [failing.status, 'failing'];
    }
    try {
      const [endpoint, body, contentType] = await route(req, url);
      send(res, 200, body, {}, contentType);
      return [200, endpoint];
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      send(res, error.status, error.body);
      return [error.status, 'refused'];
    }
  };

  // Answers waiting out the delay. One whose client has gone (a killed CLI) is dropped, and close()
  // drops the rest: a timer left behind kept the test's process alive for the rest of the delay.
  const delayed = new Set<NodeJS.Timeout>();
  const server: Server = createServer((req, res) => {
    const at = Date.now();
    const run = async () => {
      const [status, endpoint] = await answer(req, res);
      requests.push({ at, method: req.method ?? '', path: new URL(req.url ?? '/', 'http://fake').pathname, endpoint, status, appId: req.headers['x-app-id'] as string | undefined });
    };
    if (delay <= 0) return void run();
    const timer = setTimeout(() => {
      delayed.delete(timer);
      void run();
    }, delay);
    delayed.add(timer);
    res.on('close', () => {
      clearTimeout(timer);
      delayed.delete(timer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;
  return {
    url: baseUrl,
    appId,
    secretKey,
    campaigns,
    requests,
    callsByEndpoint: (from = 0) => {
      const counts: Record<string, number> = {};
      for (const r of requests.slice(from)) counts[r.endpoint] = (counts[r.endpoint] ?? 0) + 1;
      return counts;
    },
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

/** A card as the vouchers export lists it (`loyalty_balance`: usable points). */
function voucherRow(card: FakeCard): Record<string, unknown> {
  const v = card.voucher;
  return {
    id: v.id,
    code: v.code,
    voucher_type: v.type ?? 'LOYALTY_CARD',
    loyalty_balance: card.balance,
    campaign_id: v.campaign_id,
    customer_id: v.holder_id ?? null,
    customer_source_id: null,
    active: v.active ?? true,
    created_at: v.created_at ?? null,
    updated_at: v.updated_at ?? null,
  };
}

/** A transaction as the campaign transactions export lists it: `balance` after it, `amount` its signed change. */
function transactionRow(t: Record<string, unknown>): Record<string, unknown> {
  const balance = (t.details as any)?.balance ?? {};
  return {
    id: t.id,
    type: t.type,
    voucher_id: t.voucher_id,
    campaign_id: t.campaign_id,
    source_id: t.source_id ?? null,
    reason: t.reason ?? null,
    source: t.source ?? null,
    balance: balance.balance ?? null,
    amount: balance.points ?? null,
    related_transaction_id: t.related_transaction_id ?? null,
    created_at: t.created_at,
    details: t.details ?? {},
  };
}

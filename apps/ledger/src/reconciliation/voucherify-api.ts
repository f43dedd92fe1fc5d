import { calendarDay, parseTransaction, parseVoucher } from '@ledger/voucherify';
import { readExportCsv } from './voucherify-csv';
import { sleep, VoucherifyHttp, VoucherifyHttpOptions, VoucherifyRequestError } from './voucherify-http';

export { VoucherifyAuthError, VoucherifyBudgetSpentError, VoucherifyRequestError, VoucherifyUnavailableError } from './voucherify-http';

/** The parts of a card reconciliation reads (docs/voucherify.md, section 10). */
export interface CardInVoucherify {
  id: string;
  /** The member id of every per-card call: Voucherify addresses a member by its code, never its `v_` id. */
  code: string | null;
  type: string | null;
  campaign_id: string | null;
  holder_id: string | null;
  /** Usable points (a gift card's amount). */
  balance: number | null;
}

export interface TransactionInVoucherify {
  id: string;
  type: string;
  voucher_id: string;
  campaign_id: string | null;
  created_at: string | null;
  /** The signed change. */
  points: number | null;
  /** The card's balance after it. */
  balance_after: number | null;
  /** The transaction's documented fields, the same whichever list or export it came from (see `canonicalTransaction`). */
  raw: Record<string, unknown>;
}

export interface VoucherifyApiOptions extends VoucherifyHttpOptions {
  /** Wait between two polls of an export (each poll is a call). */
  exportPollMs?: number;
  /** Polls before an export that is not DONE is given up. */
  exportMaxPolls?: number;
}

const PAGE_LIMIT = 100;
/** A transaction's fields an export and a list both carry; `balance` and `amount` live in `details.balance`. */
const TRANSACTION_FIELDS = ['id', 'type', 'voucher_id', 'campaign_id', 'source_id', 'reason', 'source', 'related_transaction_id', 'created_at', 'details'] as const;
const EXPORTED_TRANSACTION_FIELDS = [...TRANSACTION_FIELDS, 'balance', 'amount'];
const EXPORTED_CARD_FIELDS = ['id', 'code', 'voucher_type', 'loyalty_balance', 'campaign_id', 'customer_id', 'customer_source_id', 'active', 'created_at', 'updated_at'];

const EXPORTED_BUCKET_FIELDS = ['id', 'campaign_id', 'voucher_id', 'status', 'expires_at', 'points'];

/** An active point bucket of a card: `points` due to expire on `expiresAt` (a day). */
export interface PointBucket {
  id: string;
  voucherId: string;
  expiresAt: string;
  points: number;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number | null => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isSafeInteger(n) ? n : null;
};

/** Keys sorted at every level: the same object gives the same bytes, whatever order a source wrote it in. */
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sorted((value as Record<string, unknown>)[k])]),
  );
}

/**
 * A transaction reduced to its documented fields, keys sorted: a backfill built from the list, a
 * card's transactions or an export is then the same bytes, so a rerun from another source is a
 * duplicate, never a conflict.
 */
export function canonicalTransaction(value: Record<string, unknown>): Record<string, unknown> {
  return sorted(Object.fromEntries(TRANSACTION_FIELDS.map((f) => [f, value[f] === '' || value[f] === undefined ? null : value[f]]))) as Record<string, unknown>;
}

/**
 * Voucherify's API, read the way its plans can afford (docs/voucherify.md, section 10): a campaign
 * through its transactions list or its exports, a member (by code) only where those cannot settle it.
 */
export class VoucherifyApi {
  readonly http: VoucherifyHttp;

  constructor(private readonly options: VoucherifyApiOptions) {
    this.http = new VoucherifyHttp(options);
  }

  /** One card with its current balance; null when Voucherify does not know the code (404). */
  async getMember(campaignId: string, code: string): Promise<CardInVoucherify | null> {
    try {
      const answer = await this.http.send({
        endpoint: 'GET /v1/loyalties/{campaignId}/members/{memberId}',
        what: `card ${code}`,
        method: 'GET',
        path: `/v1/loyalties/${encodeURIComponent(campaignId)}/members/${encodeURIComponent(code)}`,
      });
      return toCard(answer);
    } catch (error) {
      if (error instanceof VoucherifyRequestError && error.status === 404) return null;
      throw error;
    }
  }

  /** A card's transactions (by its code), every page. */
  async listCardTransactions(campaignId: string, code: string): Promise<TransactionInVoucherify[]> {
    const path = `/v1/loyalties/${encodeURIComponent(campaignId)}/members/${encodeURIComponent(code)}/transactions`;
    return this.pages('GET /v1/loyalties/{campaignId}/members/{memberId}/transactions', `the transactions of card ${code}`, path, {}, () => false);
  }

  /** The campaign's transactions created at `since` or later, newest first: one call per 100. */
  async listCampaignTransactionsSince(campaignId: string, since: string): Promise<TransactionInVoucherify[]> {
    const sinceMs = Date.parse(since);
    const path = `/v1/loyalties/${encodeURIComponent(campaignId)}/transactions`;
    const all = await this.pages('GET /v1/loyalties/{campaignId}/transactions', `the transactions of campaign ${campaignId}`, path, { order: '-created_at' }, (t) =>
      t.created_at !== null && Date.parse(t.created_at) < sinceMs,
    );
    return all.filter((t) => t.created_at !== null && Date.parse(t.created_at) >= sinceMs);
  }

  /** Every transaction of the campaign (created after `since`, when given), from its transactions export. */
  async exportCampaignTransactions(campaignId: string, since: string | null): Promise<TransactionInVoucherify[]> {
    const created = await this.http.send({
      endpoint: 'POST /v1/loyalties/{campaignId}/transactions/export',
      what: `an export of campaign ${campaignId}'s transactions`,
      method: 'POST',
      path: `/v1/loyalties/${encodeURIComponent(campaignId)}/transactions/export`,
      body: {
        parameters: {
          order: 'created_at',
          fields: EXPORTED_TRANSACTION_FIELDS,
          ...(since ? { filters: { created_at: { conditions: { $after: [new Date(Date.parse(since) - 1).toISOString()] } } } } : {}),
        },
      },
    });
    const rows = await this.download(created, EXPORTED_TRANSACTION_FIELDS);
    return rows.flatMap((row) => {
      const details = parseJsonCell(row.details);
      const balance = (details.balance ??= {}) as Record<string, unknown>;
      // The export's own columns fill in what `details` left out; `details` stays what Voucherify wrote.
      if (balance.points === undefined && num(row.amount) !== null) balance.points = num(row.amount);
      if (balance.balance === undefined && num(row.balance) !== null) balance.balance = num(row.balance);
      const t = toTransaction({ ...row, details });
      return t && (t.campaign_id === null || t.campaign_id === campaignId) ? [t] : [];
    });
  }

  /** The campaign's cards with their usable balances, from the vouchers export (it has no campaign filter). */
  async exportCampaignCards(campaignId: string): Promise<CardInVoucherify[]> {
    const created = await this.http.send({
      endpoint: 'POST /v1/exports',
      what: 'an export of the vouchers',
      method: 'POST',
      path: '/v1/exports',
      body: { exported_object: 'voucher', parameters: { fields: EXPORTED_CARD_FIELDS } },
    });
    const rows = await this.download(created, EXPORTED_CARD_FIELDS);
    return rows.flatMap((row) => {
      const id = str(row.id);
      if (!id || row.campaign_id !== campaignId) return [];
      return [{ id, code: str(row.code), type: str(row.voucher_type), campaign_id: campaignId, holder_id: str(row.customer_id), balance: num(row.loyalty_balance) }];
    });
  }

  /**
   * The campaign's active point buckets, from its points-expiration export (docs/voucherify.md,
   * section 10): a create, its polls and the files. A row that is not an active bucket with a day
   * and a positive whole number of points is left out.
   */
  async exportPointBuckets(campaignId: string): Promise<PointBucket[]> {
    const created = await this.http.send({
      endpoint: 'POST /v1/loyalties/{campaignId}/points-expiration/export',
      what: `an export of campaign ${campaignId}'s point buckets`,
      method: 'POST',
      path: `/v1/loyalties/${encodeURIComponent(campaignId)}/points-expiration/export`,
      body: { parameters: { fields: EXPORTED_BUCKET_FIELDS } },
    });
    const rows = await this.download(created, EXPORTED_BUCKET_FIELDS);
    return rows.flatMap((row) => {
      const id = str(row.id);
      const voucherId = str(row.voucher_id);
      const day = calendarDay(row.expires_at);
      const points = num(row.points);
      const active = (row.status ?? 'ACTIVE').toUpperCase() === 'ACTIVE';
      const ofCampaign = row.campaign_id === undefined || row.campaign_id === '' || row.campaign_id === campaignId;
      if (!id || !voucherId || !day || points === null || points <= 0 || !active || !ofCampaign) return [];
      return [{ id, voucherId, expiresAt: day, points }];
    });
  }

  /** Polls an export until DONE, then reads every file it was split into. */
  private async download(created: unknown, fields: string[]): Promise<Record<string, string>[]> {
    const id = str((created as any)?.id);
    if (!id) throw new Error('Voucherify answered an export without an id');
    const pollMs = this.options.exportPollMs ?? 2000;
    const maxPolls = this.options.exportMaxPolls ?? 150;
    for (let polls = 0; polls < maxPolls; polls++) {
      await sleep(pollMs, this.options.signal);
      const exported: any = await this.http.send({ endpoint: 'GET /v1/exports/{exportId}', what: `export ${id}`, method: 'GET', path: `/v1/exports/${encodeURIComponent(id)}` });
      if (exported?.status === 'ERROR') throw new Error(`Voucherify's export ${id} failed`);
      if (exported?.status !== 'DONE') continue;
      const urls = [...new Set([exported.result?.url, ...(Array.isArray(exported.result?.urls) ? exported.result.urls : [])].filter((u): u is string => typeof u === 'string'))];
      if (urls.length === 0) throw new Error(`Voucherify's export ${id} is done but names no file`);
      const rows: Record<string, string>[] = [];
      for (const url of urls) {
        const text = await this.http.send<string>({ endpoint: 'GET /download/{file}', what: `a file of export ${id}`, method: 'GET', path: url });
        rows.push(...readExportCsv(text, fields));
      }
      return rows;
    }
    throw new Error(`Voucherify's export ${id} was not done after ${maxPolls} polls`);
  }

  /** Every page of a `starting_after_id` list, or up to the first item `stop` says is past the window. */
  private async pages(
    endpoint: string,
    what: string,
    path: string,
    query: Record<string, string>,
    stop: (t: TransactionInVoucherify) => boolean,
  ): Promise<TransactionInVoucherify[]> {
    const transactions: TransactionInVoucherify[] = [];
    let after: string | undefined;
    for (;;) {
      const answer: any = await this.http.send({ endpoint, what, method: 'GET', path, query: { ...query, limit: PAGE_LIMIT, starting_after_id: after } });
      let past = false;
      for (const item of Array.isArray(answer?.data) ? answer.data : []) {
        const t = toTransaction(item);
        if (!t) continue;
        if (stop(t)) past = true;
        transactions.push(t);
      }
      const next = str(answer?.more_starting_after);
      if (past || answer?.has_more !== true || !next || next === after) return transactions;
      after = next;
    }
  }
}

function parseJsonCell(cell: string | undefined): Record<string, unknown> {
  if (!cell) return {};
  try {
    const value = JSON.parse(cell);
    return value && typeof value === 'object' && !Array.isArray(value) ? value : {};
  } catch {
    return {};
  }
}

/** A card as the API answers it, read by the same parser as a webhook's voucher. */
function toCard(value: unknown): CardInVoucherify | null {
  const voucher = parseVoucher(value);
  if (!voucher) return null;
  return {
    id: voucher.id,
    code: voucher.code ?? null,
    type: voucher.type ?? null,
    campaign_id: voucher.campaignId ?? null,
    holder_id: voucher.holderId ?? null,
    balance: voucher.loyaltyCard?.balance ?? voucher.gift?.balance ?? null,
  };
}

/** A transaction as a list or an export shows it, read by the same parser as a webhook's transaction. */
function toTransaction(value: Record<string, unknown>): TransactionInVoucherify | null {
  const raw = canonicalTransaction(value);
  const transaction = parseTransaction(raw);
  if (!transaction?.voucherId) return null;
  return {
    id: transaction.id,
    type: transaction.type ?? 'UNKNOWN',
    voucher_id: transaction.voucherId,
    campaign_id: transaction.campaignId ?? null,
    created_at: typeof transaction.createdAt === 'string' && transaction.createdAt !== '' ? transaction.createdAt : null,
    points: transaction.balance?.points ?? transaction.balance?.amount ?? null,
    balance_after: transaction.balance?.balance ?? null,
    raw,
  };
}

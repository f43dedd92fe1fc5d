import { VoucherifyServerSide } from '@voucherify/sdk';
import { parseTransaction, parseVoucher } from '@ledger/voucherify';

/** The parts of Voucherify's answers reconciliation reads (docs/voucherify.md, section 10). */
export interface CardInVoucherify {
  id: string;
  code: string | null;
  campaign_id: string | null;
  campaign: string | null;
  holder_id: string | null;
  balance: number | null;
}

export interface TransactionInVoucherify {
  id: string;
  type: string;
  voucher_id: string;
  campaign_id: string | null;
  created_at: string | null;
  points: number | null;
  /** The transaction as Voucherify answered it, kept whole for the backfilled event. */
  raw: Record<string, unknown>;
}

/** Voucherify refused the credentials: nothing can be read, the run stops before changing anything. */
export class VoucherifyAuthError extends Error {
  constructor(status: number) {
    super(`Voucherify refused the credentials (HTTP ${status}): check VOUCHERIFY_APP_ID and VOUCHERIFY_SECRET_KEY`);
    this.name = 'VoucherifyAuthError';
  }
}

/** Voucherify kept failing (5xx, timeouts, network) after every retry. */
export class VoucherifyUnavailableError extends Error {
  constructor(what: string, reason: string, attempts: number) {
    super(`Voucherify did not answer ${what} after ${attempts} attempts: ${reason}`);
    this.name = 'VoucherifyUnavailableError';
  }
}

/** Any other refusal (400, 404, ...): reported for the card, not retried. */
export class VoucherifyRequestError extends Error {
  constructor(
    readonly status: number,
    what: string,
    message: string,
  ) {
    super(`Voucherify answered ${status} to ${what}: ${message}`);
    this.name = 'VoucherifyRequestError';
  }
}

export interface VoucherifyApiOptions {
  applicationId: string;
  secretKey: string;
  apiUrl: string;
  timeoutMs: number;
  retries: number;
  /** Calls in flight at once, across cards. */
  concurrency: number;
  /** Longest single wait a 429 may ask for; longer waits are capped (and retried). */
  maxRateLimitWaitMs?: number;
  /** How a wait is done (tests may shorten backoff, never the Retry-After of a 429). */
  backoffBaseMs?: number;
  signal?: AbortSignal;
  onRateLimited?: (waitMs: number) => void;
}

const PAGE_LIMIT = 100;
/** 429s waited out per call before giving up: Voucherify's limits are per minute, so this is generous. */
const MAX_RATE_LIMIT_WAITS = 30;

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason ?? new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * What a failed call tells: its HTTP status and the wait a 429 asks for. Read field by field from
 * the SDK's error: the error's `cause` (axios) also holds the request headers, secret key
 * included, so it is never logged, kept or passed on.
 */
function failureOf(error: unknown): { status: number | null; retryAfterMs: number | null; reason: string } {
  const e = error as { code?: unknown; message?: unknown; cause?: any };
  const response = e?.cause?.response;
  const status = typeof response?.status === 'number' ? response.status : null;
  let retryAfterMs: number | null = null;
  const headers = response?.headers ?? {};
  const retryAfter = Number(headers['retry-after']);
  if (Number.isFinite(retryAfter) && retryAfter >= 0) retryAfterMs = retryAfter * 1000;
  else {
    const retryAt = Number(headers['x-rate-limit-retry']);
    if (Number.isFinite(retryAt) && retryAt > 0) retryAfterMs = Math.max(0, retryAt * 1000 - Date.now());
  }
  const code = typeof e?.code === 'string' ? e.code : null; // axios: ECONNABORTED, ECONNREFUSED...
  const message = typeof e?.message === 'string' ? e.message.slice(0, 200) : 'unknown error';
  return { status, retryAfterMs, reason: status !== null ? `HTTP ${status}: ${message}` : `${code ?? 'network error'}: ${message}` };
}

/** A small counting semaphore: at most `limit` calls to Voucherify in flight. */
class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await work();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

/**
 * Voucherify's API through the official SDK (`apiUrl` picks the region, or the test's fake), with
 * what a production caller needs around it: bounded concurrency, a 429 waited out for as long as
 * `Retry-After` (or `X-Rate-Limit-Retry`) says, 5xx / timeouts / network errors retried with
 * exponential backoff and jitter then reported, and credentials refused stopping everything.
 */
export class VoucherifyApi {
  private readonly client: ReturnType<typeof VoucherifyServerSide>;
  private readonly limiter: Limiter;

  constructor(private readonly options: VoucherifyApiOptions) {
    this.client = VoucherifyServerSide({
      applicationId: options.applicationId,
      secretKey: options.secretKey,
      apiUrl: options.apiUrl.replace(/\/$/, ''),
      timeoutMs: options.timeoutMs,
      // The only way to read Retry-After; the cause is taken apart in failureOf and never kept.
      exposeErrorCause: true,
    });
    this.limiter = new Limiter(options.concurrency);
  }

  /** Every card (member) of a loyalty campaign: paged by `page`, 100 at a time. */
  async listMembers(campaignId: string): Promise<CardInVoucherify[]> {
    const cards: CardInVoucherify[] = [];
    for (let page = 1; ; page++) {
      const answer = await this.call(`the members of campaign ${campaignId}`, () => this.client.loyalties.listMembers(campaignId, { limit: PAGE_LIMIT, page }));
      const vouchers: unknown[] = Array.isArray((answer as any)?.vouchers) ? (answer as any).vouchers : [];
      for (const v of vouchers) {
        const card = toCard(v);
        if (card) cards.push(card);
      }
      if (vouchers.length < PAGE_LIMIT) return cards;
      if (page >= 10_000) throw new Error(`campaign ${campaignId} lists more than a million members; reconcile it by --card`);
    }
  }

  /** One card with its current balance; null when Voucherify does not know it (404). */
  async getMember(campaignId: string, memberId: string): Promise<CardInVoucherify | null> {
    try {
      return toCard(await this.call(`card ${memberId}`, () => this.client.loyalties.getMember(campaignId, memberId)));
    } catch (error) {
      if (error instanceof VoucherifyRequestError && error.status === 404) return null;
      throw error;
    }
  }

  /** A card's transactions, every page (`has_more` / `more_starting_after`). */
  async listCardTransactions(campaignId: string, memberId: string): Promise<TransactionInVoucherify[]> {
    const transactions: TransactionInVoucherify[] = [];
    let after: string | undefined;
    for (let pages = 0; ; pages++) {
      const params = { limit: PAGE_LIMIT, ...(after ? { starting_after_id: after } : {}) };
      const answer: any = await this.call(`the transactions of card ${memberId}`, () => this.client.loyalties.listCardTransactions(memberId, campaignId, params));
      for (const t of Array.isArray(answer?.data) ? answer.data : []) {
        const transaction = toTransaction(t);
        if (transaction) transactions.push(transaction);
      }
      const next = str(answer?.more_starting_after);
      if (answer?.has_more !== true || !next || next === after) return transactions;
      if (pages >= 10_000) throw new Error(`card ${memberId} lists more than a million transactions`);
      after = next;
    }
  }

  private async call<T>(what: string, request: () => Promise<T>): Promise<T> {
    const { retries, signal } = this.options;
    const backoffBase = this.options.backoffBaseMs ?? 250;
    const maxWait = this.options.maxRateLimitWaitMs ?? 120_000;
    let failures = 0;
    let rateLimited = 0;
    for (;;) {
      if (signal?.aborted) throw signal.reason ?? new Error('aborted');
      try {
        return await this.limiter.run(request);
      } catch (error) {
        const failure = failureOf(error);
        if (failure.status === 401 || failure.status === 403) throw new VoucherifyAuthError(failure.status);
        if (failure.status === 429 && rateLimited < MAX_RATE_LIMIT_WAITS) {
          rateLimited++;
          const wait = Math.min(failure.retryAfterMs ?? 1000, maxWait);
          this.options.onRateLimited?.(wait);
          await sleep(wait, signal);
          continue;
        }
        const transient = failure.status === null || failure.status >= 500 || failure.status === 429;
        if (!transient) throw new VoucherifyRequestError(failure.status!, what, failure.reason);
        failures++;
        if (failures > retries) throw new VoucherifyUnavailableError(what, failure.reason, failures);
        await sleep(backoffBase * 2 ** (failures - 1) * (0.5 + Math.random()), signal);
      }
    }
  }
}

/** A card as the API answers it, read by the same parser as a webhook's voucher. */
function toCard(value: unknown): CardInVoucherify | null {
  const voucher = parseVoucher(value);
  if (!voucher) return null;
  return {
    id: voucher.id,
    code: voucher.code ?? null,
    campaign_id: voucher.campaignId ?? null,
    campaign: voucher.campaignName ?? null,
    holder_id: voucher.holderId ?? null,
    balance: voucher.loyaltyCard?.balance ?? null,
  };
}

/** A transaction as the API lists it, read by the same parser as a webhook's transaction. */
function toTransaction(value: unknown): TransactionInVoucherify | null {
  const transaction = parseTransaction(value);
  if (!transaction?.voucherId) return null;
  return {
    id: transaction.id,
    type: transaction.type ?? 'UNKNOWN',
    voucher_id: transaction.voucherId,
    campaign_id: transaction.campaignId ?? null,
    created_at: typeof transaction.createdAt === 'string' && transaction.createdAt !== '' ? transaction.createdAt : null,
    points: transaction.balance?.points ?? transaction.balance?.amount ?? null,
    raw: value as Record<string, unknown>,
  };
}

/**
 * The HTTP side of Voucherify's API (docs/voucherify.md, section 10) for a reconciliation run:
 * every call goes through `send`, which keeps the run within its budget and the plan's rate, waits
 * out a 429 for as long as Voucherify says, retries 5xx / timeouts / network errors with backoff and
 * jitter, stops everything on refused credentials, and counts each call by endpoint.
 *
 * Plain `fetch`, not `@voucherify/sdk`: the SDK has no call for the campaign transactions list or
 * the campaign transactions export (the two reads that make a campaign affordable), and one path
 * for every call means one place for limits, errors and counting.
 */

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

/** Any other refusal (400, 404, ...): reported, not retried. */
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

/** The run has spent the calls it may spend: nothing more is sent. */
export class VoucherifyBudgetSpentError extends Error {
  constructor(readonly maxCalls: number) {
    super(`the run's budget of ${maxCalls} Voucherify calls is spent (raise it with --max-calls or RECONCILE_MAX_CALLS)`);
    this.name = 'VoucherifyBudgetSpentError';
  }
}

export interface VoucherifyHttpOptions {
  applicationId: string;
  secretKey: string;
  apiUrl: string;
  timeoutMs: number;
  retries: number;
  /** Calls in flight at once. */
  concurrency: number;
  /** Calls sent in any 60 s (VOUCHERIFY_CALLS_PER_MINUTE): the shop's own checkout keeps the rest of its plan. */
  callsPerMinute: number;
  /** Calls this run may send in all, retries included (RECONCILE_MAX_CALLS or --max-calls). */
  maxCalls: number;
  /** The window `callsPerMinute` counts over: a minute (shorter only in tests). */
  windowMs?: number;
  /** Longest single wait a 429 may ask for; longer waits are capped (and retried). */
  maxRateLimitWaitMs?: number;
  /** Base of the exponential backoff after a 5xx or network error. */
  backoffBaseMs?: number;
  signal?: AbortSignal;
  onRateLimited?: (waitMs: number) => void;
  /** Each call's endpoint and status (0: no answer), for /metrics. */
  onCall?: (endpoint: string, status: number) => void;
}

/** One call: `endpoint` names it as the documentation does, for counting; `what` says it in a sentence. */
export interface VoucherifyCall {
  endpoint: string;
  what: string;
  method: 'GET' | 'POST';
  /** A path on the API host, or an absolute address (an export's file, on the download host). */
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
}

/** 429s waited out per call before giving up: Voucherify's limits are per minute, so this is generous. */
const MAX_RATE_LIMIT_WAITS = 30;
const WINDOW_MS = 60_000;

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
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

/** The wait a 429 asks for: `Retry-After` seconds, else until `X-Rate-Limit-Retry` (Unix seconds). */
function retryAfterMs(headers: Headers): number | null {
  const retryAfter = Number(headers.get('retry-after') ?? NaN);
  if (Number.isFinite(retryAfter) && retryAfter >= 0) return retryAfter * 1000;
  const retryAt = Number(headers.get('x-rate-limit-retry') ?? NaN);
  if (Number.isFinite(retryAt) && retryAt > 0) return Math.max(0, retryAt * 1000 - Date.now());
  return null;
}

/** A failed call, as much as it says: status and message; never the request (it holds the key). */
class Failure {
  constructor(
    readonly status: number | null,
    readonly reason: string,
    readonly waitMs: number | null = null,
  ) {}
}

export class VoucherifyHttp {
  /** Calls sent so far, by endpoint (retries and 429s included: Voucherify counts them too). */
  readonly spent: Record<string, number> = {};
  private sent = 0;
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly recent: number[] = [];
  private pausedUntil = 0;

  constructor(readonly options: VoucherifyHttpOptions) {}

  get callsSent(): number {
    return this.sent;
  }

  /** Calls the budget still allows. */
  get callsLeft(): number {
    return Math.max(0, this.options.maxCalls - this.sent);
  }

  /** The call's answer: JSON from the API host, the text of a file from the download host. */
  async send<T = any>(call: VoucherifyCall): Promise<T> {
    const { retries, signal } = this.options;
    const backoffBase = this.options.backoffBaseMs ?? 250;
    const maxWait = this.options.maxRateLimitWaitMs ?? 120_000;
    let failures = 0;
    let rateLimited = 0;
    for (;;) {
      if (signal?.aborted) throw signal.reason ?? new Error('aborted');
      const outcome = await this.inTurn(() => this.attempt<T>(call));
      if (!(outcome instanceof Failure)) return outcome;
      if (outcome.status === 401 || outcome.status === 403) throw new VoucherifyAuthError(outcome.status);
      if (outcome.status === 429 && rateLimited < MAX_RATE_LIMIT_WAITS) {
        rateLimited++;
        const wait = Math.min(outcome.waitMs ?? 1000, maxWait);
        this.options.onRateLimited?.(wait);
        this.pausedUntil = Math.max(this.pausedUntil, Date.now() + wait);
        continue;
      }
      const transient = outcome.status === null || outcome.status >= 500 || outcome.status === 429;
      if (!transient) throw new VoucherifyRequestError(outcome.status!, call.what, outcome.reason);
      failures++;
      if (failures > retries) throw new VoucherifyUnavailableError(call.what, outcome.reason, failures);
      await sleep(backoffBase * 2 ** (failures - 1) * (0.5 + Math.random()), signal);
    }
  }

  /** Waits for a free slot: concurrency, the per-minute rate, a 429's pause; then spends one call of the budget. */
  private async inTurn<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.options.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      for (;;) {
        const now = Date.now();
        const windowMs = this.options.windowMs ?? WINDOW_MS;
        while (this.recent.length > 0 && this.recent[0] <= now - windowMs) this.recent.shift();
        const wait = Math.max(this.pausedUntil - now, this.recent.length >= this.options.callsPerMinute ? this.recent[0] + windowMs - now : 0);
        if (wait <= 0) break;
        await sleep(wait, this.options.signal);
      }
      if (this.sent >= this.options.maxCalls) throw new VoucherifyBudgetSpentError(this.options.maxCalls);
      this.sent++;
      this.recent.push(Date.now());
      return await work();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }

  private async attempt<T>(call: VoucherifyCall): Promise<T | Failure> {
    const external = /^https?:\/\//.test(call.path);
    const url = new URL(external ? call.path : `${this.options.apiUrl.replace(/\/$/, '')}${call.path}`);
    for (const [key, value] of Object.entries(call.query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
    // A file's address carries its own token: the API key is never sent to another host.
    const headers: Record<string, string> = external ? {} : { 'x-app-id': this.options.applicationId, 'x-app-token': this.options.secretKey };
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const signal = this.options.signal ? AbortSignal.any([this.options.signal, timeout]) : timeout;
    this.spent[call.endpoint] = (this.spent[call.endpoint] ?? 0) + 1;
    let response: Response;
    try {
      response = await fetch(url, { method: call.method, headers, body: call.body === undefined ? undefined : JSON.stringify(call.body), signal });
    } catch (error) {
      if (this.options.signal?.aborted) throw this.options.signal.reason ?? error;
      this.options.onCall?.(call.endpoint, 0);
      const e = error as Error & { cause?: { code?: string } };
      const code = timeout.aborted ? 'timeout' : (e.cause?.code ?? 'network error');
      return new Failure(null, `${code}: ${String(e.message).slice(0, 200)}`);
    }
    this.options.onCall?.(call.endpoint, response.status);
    if (response.status === 429) {
      await response.body?.cancel();
      return new Failure(429, 'HTTP 429: too many requests', retryAfterMs(response.headers));
    }
    const remaining = Number(response.headers.get('x-rate-limit-remaining') ?? NaN);
    // Voucherify says the plan's minute is used up: wait for the window rather than earn a 429.
    if (remaining === 0) this.pausedUntil = Math.max(this.pausedUntil, Date.now() + (retryAfterMs(response.headers) ?? WINDOW_MS / 10));
    try {
      const text = await response.text();
      if (!response.ok) return new Failure(response.status, `HTTP ${response.status}: ${messageOf(text)}`);
      return (external ? text : JSON.parse(text)) as T;
    } catch (error) {
      return new Failure(null, `unreadable answer: ${String((error as Error).message).slice(0, 200)}`);
    }
  }
}

/** Voucherify's error body says `message` and `details`; anything else is cut short. */
function messageOf(text: string): string {
  try {
    const body = JSON.parse(text);
    return [body?.message, body?.details].filter((s) => typeof s === 'string').join(': ').slice(0, 200) || 'no message';
  } catch {
    return text.slice(0, 200) || 'no message';
  }
}

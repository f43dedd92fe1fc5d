import type { LedgerConfig } from '../../apps/ledger/src/config/ledger-config';
import { getJson } from './read-api';
import { startTestApp, TestApp } from './test-app';
import { createTestDatabase, TestDatabase } from './test-database';
import { envelope, EnvelopeOptions, postWebhook } from './voucherify';

export const TEST_SECRET = 'whsec-test-0123456789abcdef';
export const TEST_ADMIN = 'admin-token-0123456789abcdef';

/**
 * A service on its own database for one test file, the way most e2e tests talk to it: signed
 * webhooks in, reads that wait (X-Min-Position) for everything sent so far, admin calls with the
 * admin token. Registers its own beforeAll and afterAll.
 */
export interface LedgerService {
  readonly service: TestApp;
  readonly db: TestDatabase;
  readonly baseUrl: string;
  /** The newest log position sent or written so far. */
  head(): number;
  /** Sends a signed webhook; fails the test unless it is stored (200) or accepted (202). */
  send(type: string, data: unknown, createdAt: string, options?: EnvelopeOptions): Promise<{ status: number; json: any }>;
  /** GET a read route once the projections have applied everything sent. */
  get(path: string): Promise<{ status: number; json: any }>;
  /** An admin call with a JSON body; its position, if any, counts as sent. */
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }>;
}

/** `overrides` may be a function, read when the service starts (after the beforeAll hooks registered before this call). */
export function useLedgerService(overrides: Partial<LedgerConfig> | (() => Partial<LedgerConfig>) = {}): LedgerService {
  let db: TestDatabase;
  let service: TestApp;
  let head = 0;
  beforeAll(async () => {
    db = await createTestDatabase();
    service = await startTestApp(db.url, { webhookSecrets: [TEST_SECRET], adminToken: TEST_ADMIN, projectorPollMs: 50, ...(typeof overrides === 'function' ? overrides() : overrides) });
  });
  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });
  return {
    get service() {
      return service;
    },
    get db() {
      return db;
    },
    get baseUrl() {
      return service.baseUrl;
    },
    head: () => head,
    async send(type, data, createdAt, options = {}) {
      const answer = await postWebhook(service.baseUrl, JSON.stringify(envelope(type, data, { createdAt, ...options })), { secret: TEST_SECRET });
      expect([200, 202]).toContain(answer.status);
      head = Math.max(head, answer.json.position);
      return answer;
    },
    get: (path) => getJson(service.baseUrl, path, head),
    async admin(method, path, body) {
      const answer = await fetch(`${service.baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${TEST_ADMIN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = await answer.json();
      if (typeof json?.position === 'number') head = Math.max(head, json.position);
      return { status: answer.status, json };
    },
  };
}

import { Client } from 'pg';
import { isTransientError } from '@ledger/event-store';
import { StartupError } from './startup-error';

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'no answer (timed out)',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  '57P03': 'the database is starting up',
};

export interface DatabaseProbeOptions {
  /** Attempts while the failure looks transient (the database may start a moment after us). */
  attempts?: number;
  delayMs?: number;
  connectTimeoutMs?: number;
  /** What the operator should check, e.g. "check DATABASE_URL". */
  hint: string;
}

/**
 * Connects once before the service is built, so that a database it cannot use ends the start with
 * one line naming host, port and reason, instead of a framework stack trace. Never prints the URL
 * itself: it may hold a password.
 */
export async function probeDatabase(url: string, options: DatabaseProbeOptions): Promise<void> {
  const attempts = options.attempts ?? 10;
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const client = new Client({ connectionString: url, connectionTimeoutMillis: options.connectTimeoutMs ?? 2000 });
    client.on('error', () => undefined); // a connection dropped after connect: reported by connect() or query()
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      return;
    } catch (error) {
      lastError = error;
      await client.end().catch(() => undefined);
      // What a moment later may cure (a database still starting, a host not yet in DNS under
      // docker compose, a network blip) is decided where every other caller decides it.
      if (!isTransientError(error)) break;
      if (attempt < attempts) await new Promise((r) => setTimeout(r, options.delayMs ?? 1000));
    }
  }
  throw new StartupError(describeDatabaseFailure(url, lastError, options.hint));
}

/** "cannot reach the database at host:port: reason; hint", with any password taken out. */
export function describeDatabaseFailure(url: string, error: unknown, hint: string): string {
  const target = new Client({ connectionString: url });
  const where = `${target.host}:${target.port}`;
  const code = (error as { code?: string })?.code;
  const reachable = code !== undefined && /^[0-9A-Z]{5}$/.test(code) && !code.startsWith('57P');
  let reason = (code && REASONS[code]) ?? (/timeout/i.test(String((error as Error)?.message)) ? 'no answer (timed out)' : firstLine(error));
  if (target.password) reason = reason.split(target.password).join('***');
  return reachable
    ? `cannot use the database at ${where} (database "${target.database}", user "${target.user}"): ${reason}; ${hint}`
    : `cannot reach the database at ${where}: ${reason}; ${hint}`;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] || 'unknown error';
}

import { Client, Pool, PoolClient } from 'pg';

export interface LockSessionOptions {
  /** Called once if the session ends before close() (an error, a PostgreSQL restart, a killed backend): its locks are gone. */
  onLost?: (reason: Error) => void;
  /** LISTEN on this session too (the live runner is woken by appends this way). */
  listen?: { channel: string; onNotification: () => void };
}

/**
 * A PostgreSQL session of its own (a new Client, never a pooled one) holding two-key session
 * advisory locks: a lock class, and a name hashed. They last as long as the session and die with
 * it, so a process that dies or loses its connection releases them and another can take over.
 * The live runner holds one per process (one owner per projection), a rebuild one per run.
 */
export class LockSession {
  private readonly client: Client;
  private lostReason: Error | undefined;
  private closing = false;
  private pid: number | undefined;

  constructor(pool: Pool, private readonly options: LockSessionOptions = {}) {
    this.client = new Client(pool.options);
    this.client.on('error', (error) => this.lose(error));
    this.client.on('end', () => this.lose(new Error('the connection ended')));
    const listen = options.listen;
    if (listen) this.client.on('notification', () => listen.onNotification());
  }

  async connect(): Promise<void> {
    await this.client.connect();
    try {
      if (this.options.listen) await this.client.query(`LISTEN ${this.client.escapeIdentifier(this.options.listen.channel)}`);
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  /** Why the session ended, if it did before close(); cheap, from the client's own events. */
  get lost(): Error | undefined {
    return this.lostReason;
  }

  async tryLock(lockClass: number, name: string): Promise<boolean> {
    const result = await this.client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked', [lockClass, name]);
    return result.rows[0].locked;
  }

  async backendPid(): Promise<number> {
    this.pid ??= (await this.client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    return this.pid;
  }

  /** Who holds a lock this session could not take, for the error message. */
  async describeHolder(lockClass: number, name: string): Promise<string> {
    const result = await this.client.query(
      `SELECT a.pid, a.application_name, a.client_addr::text AS addr, a.backend_start
       FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
       WHERE l.locktype = 'advisory' AND l.classid = $1 AND l.objid = hashtext($2)::oid AND l.objsubid = 2 AND l.granted
         AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [lockClass, name],
    );
    const row = result.rows[0];
    return row
      ? `held by PostgreSQL backend ${row.pid} (${row.application_name || 'unnamed'}${row.addr ? ` from ${row.addr}` : ''}, since ${row.backend_start.toISOString()})`
      : 'held by another session';
  }

  /**
   * Whether the server still grants this session every one of the locks, asked on `client` (in
   * the caller's transaction): a session cut off without a word (a dropped network path) sends no
   * error or end event, but PostgreSQL has released its locks.
   */
  async holdsAll(client: PoolClient, lockClass: number, names: string[]): Promise<boolean> {
    // Distinct keys on both sides: two names hashing alike share one lock.
    const held = await client.query<{ missing: number }>(
      `SELECT count(*)::int AS missing FROM (SELECT DISTINCT hashtext(name)::oid AS key FROM unnest($3::text[]) AS name) wanted
       WHERE NOT EXISTS (SELECT 1 FROM pg_locks l
         WHERE l.locktype = 'advisory' AND l.classid = $1 AND l.objid = wanted.key AND l.objsubid = 2 AND l.pid = $2 AND l.granted)`,
      [lockClass, await this.backendPid(), names],
    );
    return held.rows[0].missing === 0;
  }

  /** Ends the session, and its locks with it. */
  async close(): Promise<void> {
    this.closing = true;
    await this.client.end().catch(() => undefined);
  }

  private lose(reason: Error): void {
    if (this.closing || this.lostReason) return;
    this.lostReason = reason;
    this.options.onLost?.(reason);
  }
}

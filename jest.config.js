/**
 * One run for everything, in three tiers named by the file name:
 * - `*.spec.ts`: unit tests beside the code, no database;
 * - `*.int-spec.ts`: code against a real PostgreSQL without the service (a read model's evolve
 *   with its load/save, migrations, SQL), under test/ (see test/support/read-model-tier.ts);
 * - `*.e2e-spec.ts`: the running service (HTTP, processes, the CLI), under test/.
 * The PostgreSQL is started by global-setup.ts (embedded unless DATABASE_URL is set); each test
 * file gets its own cloned database.
 */
const aliases = {
  '^@ledger/event-store$': '<rootDir>/libs/event-store/src',
  '^@ledger/event-store/(.*)$': '<rootDir>/libs/event-store/src/$1',
  '^@ledger/voucherify$': '<rootDir>/libs/voucherify/src',
  '^@ledger/voucherify/(.*)$': '<rootDir>/libs/voucherify/src/$1',
  '^@ledger/projections$': '<rootDir>/libs/projections/src',
  '^@ledger/projections/(.*)$': '<rootDir>/libs/projections/src/$1',
  '^@ledger/migrations$': '<rootDir>/migrations',
};

module.exports = {
  rootDir: '.',
  moduleFileExtensions: ['js', 'json', 'ts'],
  testRegex: '(apps|libs|test)/.*\\.(spec|int-spec|e2e-spec)\\.ts$',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.spec.json' }] },
  testEnvironment: 'node',
  moduleNameMapper: aliases,
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  maxWorkers: 2,
  testTimeout: 60_000,
};

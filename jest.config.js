/**
 * One run for everything: unit specs beside the code (*.spec.ts) and integration/e2e specs
 * under test/ (*.e2e-spec.ts), all against a real PostgreSQL started by global-setup.ts
 * (embedded unless DATABASE_URL is set). Each test file gets its own database.
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
  testRegex: '(apps|libs|test)/.*\\.(spec|e2e-spec)\\.ts$',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.spec.json' }] },
  testEnvironment: 'node',
  moduleNameMapper: aliases,
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  maxWorkers: 2,
  testTimeout: 60_000,
};

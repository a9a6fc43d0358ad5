/** Jest runs transpile-only (swc); `tsc --noEmit` in `npm test` does the type-checking once. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2020' } }] },
  testTimeout: 120000,
  // One temporary folder per run, removed at the end: no test leaves data behind.
  globalSetup: '<rootDir>/test/harness/lifecycle/global-setup.js',
  globalTeardown: '<rootDir>/test/harness/lifecycle/global-teardown.js',
};

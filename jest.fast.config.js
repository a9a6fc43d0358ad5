/**
 * `npm run test:fast`, the edit-test loop: unit and synth-level tests. Left out (they run in `npm test`):
 * suites that start real servers (PostgreSQL, Redis, Alertmanager) and whole-process tests (the cdk8s
 * CLI, npm pack + install of the consumer project), by file or by test name.
 */
const base = require('./jest.config');

// Read by test/harness/fast.ts: tests that run real programs are skipped here. The workers inherit it.
process.env.MEDIA_AI_TEST_FAST = '1';

module.exports = {
  ...base,
  // jest's default is one worker less than the cores: on 2 cores that is one.
  maxWorkers: 2,
  testPathIgnorePatterns: [
    '/node_modules/',
    // real PostgreSQL / Redis servers
    '/test/backup/(roundtrip|wal-faults|manifest)\\.test\\.ts$',
    '/test/data-tier/real-servers\\.test\\.ts$',
    // every grammar sample through postgres, promtool and amtool
    '/test/shared/grammar-vs-tools\\.test\\.ts$',
    // npm pack + install, typedoc
    '/test/package/consumer\\.test\\.ts$',
    '/test/docs/api\\.test\\.ts$',
  ],
  testNamePattern: '^(?!.*(with the cdk8s CLI|npm run synth keeps the last good output|in a running Alertmanager))',
};

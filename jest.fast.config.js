/**
 * `npm run test:fast`, the edit-test loop: unit and synth-level tests. Left out (they run in `npm test`):
 * suites that start real servers (PostgreSQL, Redis, Alertmanager) and whole-process tests (the cdk8s
 * CLI, npm pack + install of the consumer project), by file or by test name.
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  // jest's default is one worker less than the cores: on 2 cores that is one.
  maxWorkers: 2,
  testPathIgnorePatterns: ['/node_modules/', '/test/backup/roundtrip\\.test\\.ts$', '/test/data-tier/real-servers\\.test\\.ts$', '/test/package/consumer\\.test\\.ts$', '/test/docs/api\\.test\\.ts$'],
  testNamePattern: '^(?!.*(with the cdk8s CLI|npm run synth keeps the last good output|in a running Alertmanager))',
};

// Every test run gets its own temporary folder (TMPDIR, which os.tmpdir() and the tools the tests
// start read), removed by global-teardown.js: whatever a test or a server it started leaves behind
// (data directories, rendered files, packed tarballs) goes with it. Sticky and world-writable like
// /tmp, because PostgreSQL runs as the postgres user when the tests run as root.
const fs = require('fs');
const os = require('os');
const path = require('path');

module.exports = async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'media-ai-tests-'));
  fs.chmodSync(dir, 0o1777);
  process.env.MEDIA_AI_TEST_TMPDIR = dir;
  process.env.TMPDIR = dir;
};

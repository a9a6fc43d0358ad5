// Removes the run's temporary folder (see global-setup.js).
const fs = require('fs');

module.exports = async () => {
  const dir = process.env.MEDIA_AI_TEST_TMPDIR;
  if (dir && /media-ai-tests-/.test(dir)) fs.rmSync(dir, { recursive: true, force: true });
};

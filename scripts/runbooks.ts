/**
 * `npm run runbooks`: writes docs/runbooks/<alert>.md for every alert of the reference platform
 * (metric and log alerts), from the rendered alert definitions. test/observability/runbooks.test.ts
 * fails when the files are stale.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { MediaAiPlatform } from '../lib/platform';
import { alertCatalogue, runbookFiles } from '../lib/observability/runbooks';

export const RUNBOOK_DIR = path.join(__dirname, '..', 'docs', 'runbooks');

/** The runbook files of the reference platform, by file name. */
export function referenceRunbooks(): Record<string, string> {
  const app = Testing.app();
  new MediaAiPlatform(app, 'media-ai');
  return runbookFiles(alertCatalogue(app.charts.flatMap((c) => Testing.synth(c))));
}

if (require.main === module) {
  const files = referenceRunbooks();
  fs.mkdirSync(RUNBOOK_DIR, { recursive: true });
  for (const stale of fs.readdirSync(RUNBOOK_DIR).filter((f) => f.endsWith('.md') && !(f in files))) fs.rmSync(path.join(RUNBOOK_DIR, stale));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(RUNBOOK_DIR, name), text);
  console.log(`${Object.keys(files).length} files in ${path.relative(process.cwd(), RUNBOOK_DIR)}`);
}

/**
 * The reference app as Helm charts (chart API v2, one per environment), escaped for Helm by
 * synthesizeAtomically: `npm run synth:helm` writes dist/helm/<env>/ for every environment;
 * `ts-node scripts/helm-chart.ts <dir> [env]` writes one environment's chart (default prod) to <dir>.
 * The chart version is package.json's (CHART_VERSION overrides it). Needs `npm run build`.
 * CRDs are not in the release: crds/ holds the imported ones (Helm installs them only when missing);
 * the operators' own charts should own them, `helm install --skip-crds` (see README, Helm).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ENVIRONMENTS } from '../lib/platform/environments';

const root = path.join(__dirname, '..');
const version = process.env.CHART_VERSION ?? (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;

function chart(outdir: string, env: string): number {
  const args = ['--format', 'helm', '--chart-api-version', 'v2', '--chart-version', version, '--output', outdir, '--chart-name', 'media-ai', '--env', env];
  return spawnSync(process.execPath, [path.join(__dirname, 'synth.js'), ...args], { stdio: 'inherit', cwd: root }).status ?? 1;
}

const [dir, env] = process.argv.slice(2);
if (dir !== undefined) process.exit(chart(dir, env ?? 'prod'));
for (const name of Object.keys(ENVIRONMENTS)) {
  const status = chart(path.join('dist', 'helm', name), name);
  if (status !== 0) process.exit(status);
}

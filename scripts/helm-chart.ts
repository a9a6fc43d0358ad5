/** `npm run synth:helm`: the reference app as a Helm chart (chart API v2) in dist/helm, escaped. */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { escapeHelmChart } from '../lib/platform/helm';

const outdir = process.argv[2] ?? 'dist/helm';
const version = process.env.CHART_VERSION ?? '0.1.0';
const result = spawnSync('npx', ['cdk8s', 'synth', '--format', 'helm', '--chart-api-version', 'v2', '--chart-version', version, '--output', outdir], {
  stdio: 'inherit',
  env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' },
});
if (result.status !== 0) process.exit(result.status ?? 1);
escapeHelmChart(outdir);
// cdk8s names the chart after the working directory; give it the platform's name instead.
const chartFile = path.join(outdir, 'Chart.yaml');
fs.writeFileSync(chartFile, fs.readFileSync(chartFile, 'utf8')
  .replace(/^name: .*$/m, 'name: "media-ai"')
  .replace(/^description: .*$/m, 'description: The media-ai platform, synthesized by cdk8s'));

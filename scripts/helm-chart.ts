/**
 * The reference app as a Helm chart (chart API v2), escaped for Helm by synthesizeAtomically:
 * `npm run synth:helm` (dist/helm) or `ts-node scripts/helm-chart.ts <dir>`. Needs `npm run build`.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';

const outdir = process.argv[2] ?? 'dist/helm';
const version = process.env.CHART_VERSION ?? '0.1.0';
const result = spawnSync(process.execPath, [path.join(__dirname, 'synth.js'), '--format', 'helm', '--chart-api-version', 'v2', '--chart-version', version, '--output', outdir, '--chart-name', 'media-ai'], { stdio: 'inherit' });
process.exit(result.status ?? 1);

#!/usr/bin/env node
// `npm run synth` / `npm run synth:helm`: `cdk8s synth` that never destroys the last good output.
// The cdk8s CLI empties its output folder before it runs the app, so a failed synth would leave no
// manifests at all. This runs the CLI into a staging folder next to the output and swaps it in only
// when the CLI succeeded; on failure the previous output is untouched and the exit code is the CLI's.
//
//   node scripts/synth.js [cdk8s synth options…] [--output DIR] [--chart-name NAME] [--env ENV] [--event EVENT]
//
// --output (or cdk8s.yaml `output`, default dist) is the folder kept safe; --chart-name sets the
// `name` of a Helm chart's Chart.yaml (cdk8s names it after the working directory). The app renders
// every environment to <output>/<env>/; --env (MEDIA_AI_ENV) renders one and replaces only
// <output>/<env>/, --event (MEDIA_AI_EVENT) applies a planned event of the environment.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

function takeOption(args, names) {
  const i = args.findIndex((a) => names.includes(a) || names.some((n) => a.startsWith(`${n}=`)));
  if (i < 0) return undefined;
  const [flag, inline] = args[i].split(/=(.*)/s);
  const value = inline ?? args[i + 1];
  args.splice(i, inline === undefined ? 2 : 1);
  if (value === undefined) throw new Error(`${flag} needs a value`);
  return value;
}

function configuredOutput() {
  // cdk8s.yaml is a flat file; only its top-level `output:` matters here.
  const config = fs.existsSync('cdk8s.yaml') ? fs.readFileSync('cdk8s.yaml', 'utf8') : '';
  return /^output:\s*["']?([^"'\s#]+)/m.exec(config)?.[1] ?? 'dist';
}

const args = process.argv.slice(2);
const appEnv = {};
for (const [flag, name] of [['--env', 'MEDIA_AI_ENV'], ['--event', 'MEDIA_AI_EVENT']]) {
  const value = takeOption(args, [flag]);
  if (value !== undefined) appEnv[name] = value;
}
const only = appEnv.MEDIA_AI_ENV ?? process.env.MEDIA_AI_ENV;

const cli = path.join(__dirname, '..', 'node_modules', '.bin', 'cdk8s');
const cdk8s = (cliArgs) => spawnSync(fs.existsSync(cli) ? cli : 'cdk8s', ['synth', ...cliArgs], {
  stdio: 'inherit',
  env: { CDK8S_CHECK_UPGRADE: 'false', ...process.env, ...appEnv },
});

// Nothing to keep safe when the manifests go to stdout.
if (args.includes('--stdout') || args.includes('-p')) process.exit(cdk8s(args).status ?? 1);
const output = path.resolve(takeOption(args, ['--output', '-o']) ?? configuredOutput());
const chartName = takeOption(args, ['--chart-name']);
const staging = `${output}.staging-${process.pid}`;
const previous = `${output}.previous-${process.pid}`;

const result = cdk8s([...args, '--output', staging]);
// The CLI can exit 0 although the app produced nothing (it only prints an error); a Helm chart's
// scaffold (Chart.yaml) exists before the app runs, so its templates/ is what counts.
const manifests = fs.existsSync(path.join(staging, 'templates')) ? path.join(staging, 'templates') : staging;
const produced = fs.existsSync(manifests) && fs.readdirSync(manifests).length > 0;
if (result.status !== 0 || !produced) {
  fs.rmSync(staging, { recursive: true, force: true });
  console.error(`synth failed: ${path.relative(process.cwd(), output) || '.'} keeps the previous output`);
  process.exit(result.status || 1);
}
if (chartName !== undefined) {
  const chartFile = path.join(staging, 'Chart.yaml');
  fs.writeFileSync(chartFile, fs.readFileSync(chartFile, 'utf8')
    .replace(/^name: .*$/m, `name: ${JSON.stringify(chartName)}`)
    .replace(/^description: .*$/m, `description: ${JSON.stringify(`${chartName}, synthesized by cdk8s`)}`));
}
// Two renames: the window without an output folder is as short as the file system allows.
function swap(from, to) {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  if (fs.existsSync(to)) fs.renameSync(to, previous);
  fs.renameSync(from, to);
  fs.rmSync(previous, { recursive: true, force: true });
  console.log(`synth: ${path.relative(process.cwd(), to) || '.'} updated`);
}
// One environment of several (not a Helm chart, which holds one): the others stay as they are.
if (only && chartName === undefined && !fs.existsSync(path.join(staging, 'Chart.yaml'))) {
  for (const env of only.split(',').map((e) => e.trim())) swap(path.join(staging, env), path.join(output, env));
  fs.rmSync(staging, { recursive: true, force: true });
} else {
  swap(staging, output);
}

#!/usr/bin/env node
// `npm run build` (also run by `prepare`, so by `npm pack` and git installs): compiles lib/, imports/
// and main.ts to build/ with tsconfig.build.json, then copies the non-TS assets the library reads at
// synth time (every lib/**/scripts/ folder: shell scripts, SQL) next to the compiled JS.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const build = path.join(root, 'build');
const buildInfo = path.join(build, 'tsconfig.build.tsbuildinfo');

function walk(dir, keep) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p, keep) : keep(p) ? [p] : [];
  });
}

// tsc's incremental mode trusts its build info and does not look at the outputs: if any compiled
// file is missing (a partly deleted build/), forget the build info so everything is emitted again.
const sources = ['lib', 'imports'].flatMap((d) => walk(path.join(root, d), (p) => p.endsWith('.ts') && !p.endsWith('.d.ts')));
const missing = sources.some((src) => !fs.existsSync(path.join(build, path.relative(root, src)).replace(/\.ts$/, '.js')));
if (missing) fs.rmSync(buildInfo, { force: true });
// …and outputs whose source was deleted or renamed would otherwise ship in the package.
const sourceSet = new Set(sources);
for (const out of ['lib', 'imports'].flatMap((d) => (fs.existsSync(path.join(build, d)) ? walk(path.join(build, d), (p) => /\.(js|d\.ts)$/.test(p)) : []))) {
  if (!sourceSet.has(path.join(root, path.relative(build, out)).replace(/\.(js|d\.ts)$/, '.ts'))) fs.rmSync(out);
}

const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

/** Every folder named `scripts` under `dir`. */
function scriptDirs(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.name === 'scripts' ? [p] : scriptDirs(p);
  });
}

/** Makes `dest` hold exactly the files of `src`, writing only what changed (synths may be reading it). */
function sync(src, dest) {
  fs.mkdirSync(dest, { recursive: true });
  const names = new Set(fs.readdirSync(src));
  for (const name of fs.readdirSync(dest)) if (!names.has(name)) fs.rmSync(path.join(dest, name), { recursive: true, force: true });
  for (const name of names) {
    const from = path.join(src, name);
    const to = path.join(dest, name);
    if (fs.statSync(from).isDirectory()) sync(from, to);
    else if (!fs.existsSync(to) || !fs.readFileSync(to).equals(fs.readFileSync(from))) fs.copyFileSync(from, to);
  }
}

for (const src of scriptDirs(path.join(root, 'lib'))) sync(src, path.join(build, path.relative(root, src)));

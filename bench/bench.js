#!/usr/bin/env node
// `npm run bench` (issue #15): synth cost of the reference platform and of generated apps of N
// ApiServices (10 per chart) against plain cdk8s-plus-27 (Deployment + Service + HPA per service), all
// in one run on one machine. Every app runs as its own process (bench/apps.js on the compiled build/):
// the process is measured whole (wall, CPU, peak RSS by /usr/bin/time) and in-process (construct +
// synth, reported by the app). Prints a table and the ratios; exits 1 when a bound is broken:
//   start-up  cdk8s.yaml `app` for the reference platform ≤ 3× `node -e "require('cdk8s'); require('cdk8s-plus-27')"`
//             for one environment (MEDIA_AI_ENV=prod), ≤ 4.5× for all three (the default)
//             (whole-process wall time, medians of paired runs; the CPU-time ratios are printed too)
//   growth    library t(3000)/t(1000) ≤ 3.3 (in-process CPU)
//   per object library in-process CPU per emitted object ≤ plain cdk8s-plus's, at the largest N
// BENCH_SIZES=10,100 BENCH_RUNS=3 make it shorter (bounds needing missing sizes are then skipped).
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const SIZES = (process.env.BENCH_SIZES ?? '10,100,1000,3000').split(',').filter(Boolean).map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const BOUNDS = { startupOne: 3, startupAll: 4.5, growth: 3.3, perObject: 1 };

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
process.on('exit', () => fs.rmSync(work, { recursive: true, force: true }));

/** Runs a shell command under /usr/bin/time: wall and CPU seconds, peak RSS, its stdout. */
function measure(command, env = {}) {
  const timing = path.join(work, 'time.txt');
  const res = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', '-o', timing, 'sh', '-c', command], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 << 20,
  });
  if (res.status !== 0) throw new Error(`${command} failed (${res.status}):\n${res.stderr.slice(-2000)}`);
  const [wall, user, sys, rssKb] = fs.readFileSync(timing, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  return { wallMs: wall * 1000, cpuMs: (user + sys) * 1000, rssMb: rssKb / 1024, stdout: res.stdout };
}

/** Objects and bytes of the YAML an app wrote. */
function output(dir) {
  let objects = 0;
  let bytes = 0;
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.yaml'))) {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    bytes += Buffer.byteLength(text);
    objects += (text.match(/^kind: /gm) ?? []).length;
  }
  return { objects, bytes };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** One app, RUNS times (fewer for the largest): medians of whole-process and in-process figures. */
function benchApp(kind, n) {
  const runs = n >= 1000 ? Math.min(RUNS, 3) : RUNS;
  const samples = [];
  let out;
  for (let i = 0; i < runs; i++) {
    const dir = path.join(work, `${kind}-${n}-${i}`);
    const m = measure(`node bench/apps.js ${kind} ${n} ${dir}`);
    samples.push({ ...m, ...JSON.parse(m.stdout.trim().split('\n').pop()) });
    out = output(dir);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const pick = (k) => median(samples.map((s) => s[k]));
  return { kind, n, runs, ...out, wallMs: pick('wallMs'), cpuMs: pick('cpuMs'), rssMb: Math.max(...samples.map((s) => s.rssMb)), inMs: pick('inMs'), inCpuMs: pick('inCpuMs') };
}

function startup() {
  const app = /^app:\s*(.+)$/m.exec(fs.readFileSync(path.join(ROOT, 'cdk8s.yaml'), 'utf8'))[1].trim();
  const bare = `node -e "require('cdk8s'); require('cdk8s-plus-27')"`;
  const b = [];
  const one = [];
  const all = [];
  for (let i = 0; i < Math.max(RUNS, 5); i++) {
    // Paired and alternating, so all three see the same machine load.
    b.push(measure(bare));
    for (const [samples, env] of [[one, { MEDIA_AI_ENV: 'prod' }], [all, {}]]) {
      const dir = path.join(work, `app-${i}`);
      samples.push(measure(`${app} 2>/dev/null`, { ...env, CDK8S_OUTDIR: dir }));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const m = (xs, k) => median(xs.map((x) => x[k]));
  const figures = (xs) => ({ cpuMs: m(xs, 'cpuMs'), wallMs: m(xs, 'wallMs'), rssMb: Math.max(...xs.map((x) => x.rssMb)) });
  return { app, bare, bareCpuMs: m(b, 'cpuMs'), bareWallMs: m(b, 'wallMs'), one: figures(one), all: figures(all) };
}

// --- run ----------------------------------------------------------------------------------------
const loadBefore = os.loadavg()[0];
const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.type()} ${os.release()}, Node ${process.version}`;
console.log(`machine: ${machine}\nload average (1 min) at start: ${loadBefore.toFixed(2)}\nruns per point: ${RUNS} (3 from N=1000)\n`);

const s = startup();
const rows = [benchApp('reference', 0)];
for (const n of SIZES) rows.push(benchApp('library', n), benchApp('baseline', n));

const f = (x, d = 0) => x.toFixed(d);
const header = ['app', 'N', 'objects', 'bytes', 'proc wall ms', 'proc CPU ms', 'peak RSS MB', 'in-proc ms', 'in-proc CPU ms', 'µs CPU/object'];
const lines = rows.map((r) => [r.kind, r.kind === 'reference' ? '-' : r.n, r.objects, r.bytes, f(r.wallMs), f(r.cpuMs), f(r.rssMb), f(r.inMs), f(r.inCpuMs), f((r.inCpuMs * 1000) / r.objects, 1)]);
console.log(`| ${header.join(' | ')} |\n|${header.map(() => ' --- ').join('|')}|`);
for (const l of lines) console.log(`| ${l.join(' | ')} |`);

const failures = [];
const check = (name, value, bound, detail) => {
  const ok = value <= bound;
  if (!ok) failures.push(name);
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}: ${f(value, 2)} (bound ${bound}) ${detail}`);
};
console.log('');
console.log(`start-up: \`${s.bare}\` ${f(s.bareCpuMs)} ms CPU / ${f(s.bareWallMs)} ms wall`);
for (const [label, x, bound] of [['one environment (MEDIA_AI_ENV=prod)', s.one, BOUNDS.startupOne], ['all three environments', s.all, BOUNDS.startupAll]]) {
  console.log(`start-up: \`${s.app}\`, ${label}: ${f(x.cpuMs)} ms CPU / ${f(x.wallMs)} ms wall (peak ${f(x.rssMb)} MB)`);
  check(`start-up, ${label}, wall-time ratio`, x.wallMs / s.bareWallMs, bound, `(CPU-time ratio ${f(x.cpuMs / s.bareCpuMs, 2)})`);
}
const row = (kind, n) => rows.find((r) => r.kind === kind && r.n === n);
if (row('library', 1000) && row('library', 3000)) {
  check('growth, library t(3000)/t(1000)', row('library', 3000).inCpuMs / row('library', 1000).inCpuMs, BOUNDS.growth,
    `(plain cdk8s-plus with app.synth(): ${f(row('baseline', 3000).inCpuMs / row('baseline', 1000).inCpuMs, 2)}; linear is 3.00)`);
} else console.log('skip growth bound: needs N=1000 and N=3000');
const largest = Math.max(...SIZES);
const lib = row('library', largest);
const base = row('baseline', largest);
if (lib && base) check(`per object at N=${largest}, library/plain CPU per object`, lib.inCpuMs / lib.objects / (base.inCpuMs / base.objects), BOUNDS.perObject,
  `(per service: library/plain ${f(lib.inCpuMs / base.inCpuMs, 2)}; objects per service ${f(lib.objects / largest, 1)} vs ${f(base.objects / largest, 1)})`);
console.log(`\nload average (1 min) at end: ${os.loadavg()[0].toFixed(2)}`);
if (failures.length > 0) {
  console.log(`\nbounds broken: ${failures.join(', ')}`);
  process.exit(1);
}

/**
 * `npm run bench`: how long constructing and synthesizing the reference app takes (in memory),
 * and how large the output is. Measured here, never asserted in a timed test.
 */
import { App } from 'cdk8s';
import { MediaAiPlatform } from '../lib';

function once(): { ms: number; bytes: number; objects: number } {
  const started = process.hrtime.bigint();
  const app = new App({ outdir: '/dev/null' });
  new MediaAiPlatform(app, 'media-ai');
  const yaml = app.synthYaml();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return { ms, bytes: Buffer.byteLength(yaml), objects: (yaml.match(/^kind: /gm) ?? []).length };
}

const runs = Number(process.env.BENCH_RUNS ?? 10);
once(); // warm-up: module loading and JIT
const samples = Array.from({ length: runs }, once);
const times = samples.map((s) => s.ms).sort((a, b) => a - b);
const pct = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))];
console.log(JSON.stringify({
  benchmark: 'synth reference app (construct + synthYaml)',
  runs,
  objects: samples[0].objects,
  yamlBytes: samples[0].bytes,
  msMin: Number(times[0].toFixed(1)),
  msMedian: Number(pct(50).toFixed(1)),
  msP90: Number(pct(90).toFixed(1)),
}, null, 2));

#!/usr/bin/env node
// The apps `npm run bench` measures, built from the compiled library (build/, `npm run build`):
//   reference  the reference platform (main.ts), synthesized with synthesizeAtomically
//   library    N ApiServices with their defaults (10 per chart, one namespace per chart), synthesizeAtomically
//   baseline   plain cdk8s-plus-27 for the same N: Deployment + Service + HPA per service, app.synth()
// Run as a program (`node bench/apps.js <kind> <N> <outdir>`) it synthesizes one app into outdir (the
// whole-process measurement) and prints, as JSON, the in-process time and CPU of construct + synth.
'use strict';
const { App, Chart } = require('cdk8s');
const kplus = require('cdk8s-plus-27');
const lib = require('../build/lib');

const PER_CHART = 10;
const IMAGE = 'registry.example.com/svc:1.0.0';

function charts(app, n, add) {
  for (let c = 0; c * PER_CHART < n; c++) {
    const chart = new Chart(app, `team-${c}`, { namespace: `team-${c}`, disableResourceNameHashes: true });
    for (let i = c * PER_CHART; i < Math.min(n, (c + 1) * PER_CHART); i++) add(chart, `svc-${i}`);
  }
}

const KINDS = {
  reference: {
    build: (app) => new lib.MediaAiPlatform(app, 'media-ai'),
    synth: (app) => lib.synthesizeAtomically(app),
  },
  library: {
    build: (app, n) => charts(app, n, (chart, id) => new lib.ApiService(chart, id, { image: IMAGE })),
    synth: (app) => lib.synthesizeAtomically(app),
  },
  baseline: {
    build: (app, n) => charts(app, n, (chart, id) => {
      const deployment = new kplus.Deployment(chart, id, { containers: [{ image: IMAGE, portNumber: 8000 }] });
      deployment.exposeViaService({ name: id });
      new kplus.HorizontalPodAutoscaler(chart, `${id}-hpa`, {
        target: deployment, maxReplicas: 20, metrics: [kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(70))],
      });
    }),
    synth: (app) => app.synth(),
  },
};

/** Builds and synthesizes one app into outdir. */
function synthOnce(kind, n, outdir) {
  const app = new App({ outdir });
  KINDS[kind].build(app, n);
  KINDS[kind].synth(app);
}

module.exports = { KINDS, synthOnce };

if (require.main === module) {
  const [kind, n, outdir] = process.argv.slice(2);
  if (!KINDS[kind] || !outdir) throw new Error('usage: node bench/apps.js reference|library|baseline <N> <outdir>');
  const wall = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  synthOnce(kind, Number(n), outdir);
  const used = process.cpuUsage(cpu);
  console.log(JSON.stringify({ inMs: Number(process.hrtime.bigint() - wall) / 1e6, inCpuMs: (used.user + used.system) / 1000 }));
}

import { Chart, Testing } from 'cdk8s';
import { ApiService, MediaAiPlatform, MediaAiPlatformProps, ObservabilityStack } from '../../lib';
import { schemaValidator } from '../harness/schema-validator';
import { K8sObject, only, ofKind, synthAppValid } from '../harness/synth';
import { ANALYSIS, IMAGE, PROMETHEUS, renderApi } from './fixtures';

const names = (objects: K8sObject[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`).sort();

describe('delivery strategies', () => {
  test('rolling is the default and renders no Argo objects', () => {
    const objects = renderApi();
    expect(objects.filter((o) => o.apiVersion.startsWith('argoproj.io'))).toEqual([]);
    expect(only(objects, 'HorizontalPodAutoscaler').spec.scaleTargetRef.kind).toBe('Deployment');
    expect(renderApi({ delivery: { type: 'rolling' } })).toEqual(objects);
  });

  test('the validator knows the Argo kinds and rejects a Rollout the CRD does not allow', () => {
    const v = schemaValidator();
    expect(v.knows('argoproj.io/v1alpha1', 'Rollout')).toBe(true);
    expect(v.knows('argoproj.io/v1alpha1', 'AnalysisTemplate')).toBe(true);
    const rollout = only(renderApi({ delivery: { type: 'canary' } }), 'Rollout');
    expect(v.validate(rollout)).toEqual([]);
    const bad = { ...rollout, spec: { ...rollout.spec, strategy: { canary: { steps: [{ setWieght: 10 }] } } } };
    expect(v.validate(bad).map((i) => i.message).join('\n')).toContain("setWieght");
  });

  test('blue-green (snapshot): active + preview Services, analyses, scale-down delay', () => {
    const objects = renderApi({ delivery: { type: 'blueGreen', prePromotionAnalysis: true, postPromotionAnalysis: true, analysis: ANALYSIS } });
    expect(objects).toMatchSnapshot();
    expect(names(objects)).toEqual([
      'AnalysisTemplate/media-ai-api-slo', 'Deployment/media-ai-api', 'HorizontalPodAutoscaler/media-ai-api', 'Ingress/media-ai-api',
      'NetworkPolicy/media-ai-api', 'PodDisruptionBudget/media-ai-api', 'PriorityClass/media-ai-api', 'Rollout/media-ai-api', 'Service/media-ai-api',
      'Service/media-ai-api-metrics', 'Service/media-ai-api-preview', 'ServiceAccount/media-ai-api', 'ServiceMonitor/media-ai-api',
    ]);
    const bg = only(objects, 'Rollout').spec.strategy.blueGreen;
    expect(bg).toEqual({
      activeService: 'media-ai-api', previewService: 'media-ai-api-preview', autoPromotionEnabled: true, scaleDownDelaySeconds: 600,
      prePromotionAnalysis: { templates: [{ templateName: 'media-ai-api-slo' }], args: [{ name: 'version-hash', valueFrom: { podTemplateHashValue: 'Latest' } }] },
      postPromotionAnalysis: { templates: [{ templateName: 'media-ai-api-slo' }], args: [{ name: 'version-hash', valueFrom: { podTemplateHashValue: 'Latest' } }] },
    });
    const preview = only(objects, 'Service', 'media-ai-api-preview');
    expect(preview.spec.selector).toEqual(only(objects, 'Service', 'media-ai-api').spec.selector);
    expect(preview.spec.ports).toEqual(only(objects, 'Service', 'media-ai-api').spec.ports);
  });

  test('blue-green options: manual promotion, no preview Service, custom delay', () => {
    const bg = only(renderApi({ delivery: { type: 'blueGreen', previewService: false, autoPromotionEnabled: false, scaleDownDelaySeconds: 3600 } }), 'Rollout').spec.strategy.blueGreen;
    expect(bg).toEqual({ activeService: 'media-ai-api', autoPromotionEnabled: false, scaleDownDelaySeconds: 3600 });
    const timed = only(renderApi({ delivery: { type: 'blueGreen', autoPromotionSeconds: 300 } }), 'Rollout').spec.strategy.blueGreen;
    expect(timed.autoPromotionSeconds).toBe(300);
  });

  test('canary, replica-weighted (snapshot): typed steps, no Service is rewritten', () => {
    const objects = renderApi({
      delivery: {
        type: 'canary', analysis: ANALYSIS, manualPromotion: true,
        steps: [{ setWeight: 20 }, { pause: { duration: '5m' } }, { analysis: true }, { setWeight: 50 }, { pause: {} }],
      },
    });
    expect(objects).toMatchSnapshot();
    const canary = only(objects, 'Rollout').spec.strategy.canary;
    expect(canary).toEqual({
      steps: [
        { setWeight: 20 }, { pause: { duration: '5m' } },
        { analysis: { templates: [{ templateName: 'media-ai-api-slo' }], args: [{ name: 'version-hash', valueFrom: { podTemplateHashValue: 'Latest' } }] } },
        { setWeight: 50 }, { pause: {} },
      ],
    });
    expect(ofKind(objects, 'Service').map((s) => s.metadata.name).sort()).toEqual(['media-ai-api', 'media-ai-api-metrics']);
  });

  test('canary default steps: analysis after each weight only when analysis is configured', () => {
    const plain = only(renderApi({ delivery: { type: 'canary' } }), 'Rollout').spec.strategy.canary.steps;
    expect(plain.map((s: object) => Object.keys(s)[0])).toEqual(['setWeight', 'pause', 'setWeight', 'pause', 'setWeight', 'pause']);
    const analysed = only(renderApi({ delivery: { type: 'canary', analysis: ANALYSIS } }), 'Rollout').spec.strategy.canary.steps;
    expect(analysed.map((s: object) => Object.keys(s)[0])).toEqual(['setWeight', 'pause', 'analysis', 'setWeight', 'pause', 'analysis', 'setWeight', 'pause']);
  });

  test('canary background analysis runs from the first weight to the end', () => {
    const canary = only(renderApi({ delivery: { type: 'canary', analysis: ANALYSIS, backgroundAnalysis: true, steps: [{ pause: { duration: '1m' } }, { setWeight: 20 }, { pause: { duration: '10m' } }] } }), 'Rollout').spec.strategy.canary;
    expect(canary.analysis).toEqual({ templates: [{ templateName: 'media-ai-api-slo' }], args: [{ name: 'version-hash', valueFrom: { podTemplateHashValue: 'Latest' } }], startingStep: 2 });
    expect(only(renderApi({ delivery: { type: 'canary', analysis: ANALYSIS } }), 'Rollout').spec.strategy.canary.analysis).toBeUndefined();
  });

  test('canary with NGINX traffic routing (snapshot): stable Ingress, canary Service, setCanaryScale', () => {
    const objects = renderApi({
      delivery: {
        type: 'canary', analysis: ANALYSIS, trafficRouting: { nginx: {} }, scaleDownDelaySeconds: 60,
        steps: [{ setCanaryScale: { replicas: 2 } }, { setWeight: 5 }, { analysis: true }, { setCanaryScale: { matchTrafficWeight: true } }, { setWeight: 50 }, { pause: { duration: '10m' } }],
      },
    });
    expect(objects).toMatchSnapshot();
    const canary = only(objects, 'Rollout').spec.strategy.canary;
    expect(canary).toMatchObject({
      stableService: 'media-ai-api', canaryService: 'media-ai-api-canary', scaleDownDelaySeconds: 60,
      trafficRouting: { nginx: { stableIngress: 'media-ai-api' } },
    });
    expect(only(objects, 'Ingress').spec.rules[0].http.paths[0].backend.service.name).toBe('media-ai-api');
    expect(only(objects, 'Service', 'media-ai-api-canary').spec.selector).toEqual(only(objects, 'Service', 'media-ai-api').spec.selector);
  });

  test('the Rollout takes the Deployment over (workloadRef) and keeps its progress settings', () => {
    const objects = renderApi({ delivery: { type: 'canary' }, rollingUpdate: { progressDeadlineSeconds: 300, minReadySeconds: 5, revisionHistoryLimit: 4 } });
    const deployment = only(objects, 'Deployment');
    const spec = only(objects, 'Rollout').spec;
    expect(spec.workloadRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name, scaleDown: 'progressively' });
    expect(spec.template).toBeUndefined();
    expect(spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    expect([spec.progressDeadlineSeconds, spec.minReadySeconds, spec.revisionHistoryLimit, spec.progressDeadlineAbort]).toEqual([300, 5, 4, true]);
    // Argo Rollouts owns the Deployment's replica count once the Rollout exists.
    expect(deployment.spec.replicas).toBeUndefined();
    expect(spec.replicas).toBeUndefined();
    const fixed = renderApi({ delivery: { type: 'canary' }, autoscaling: false, replicas: 4 });
    expect([only(fixed, 'Rollout').spec.replicas, only(fixed, 'Deployment').spec.replicas]).toEqual([4, undefined]);
  });

  test('HPA, PDB, NetworkPolicy and ServiceMonitor keep working against the Rollout', () => {
    const objects = renderApi({ delivery: { type: 'blueGreen' } });
    const selector = only(objects, 'Deployment').spec.template.metadata.labels;
    const matches = (m: Record<string, string>) => Object.entries(m).every(([k, v]) => selector[k] === v);
    expect(only(objects, 'HorizontalPodAutoscaler').spec.scaleTargetRef).toEqual({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'media-ai-api' });
    expect(matches(only(objects, 'PodDisruptionBudget').spec.selector.matchLabels)).toBe(true);
    expect(matches(only(objects, 'NetworkPolicy').spec.podSelector.matchLabels)).toBe(true);
    // No hash in our selectors: Argo Rollouts adds rollouts-pod-template-hash to the active/preview Services itself.
    for (const s of ofKind(objects, 'Service')) expect(matches(s.spec.selector)).toBe(true);
    // The monitor scrapes every pod once, through the headless metrics Service, with job = service name and the version hash.
    const sm = only(objects, 'ServiceMonitor').spec;
    const selected = ofKind(objects, 'Service').filter((s) => Object.entries(sm.selector.matchLabels).every(([k, v]) => s.metadata.labels?.[k] === v));
    expect(selected.map((s) => s.metadata.name)).toEqual(['media-ai-api-metrics']);
    expect(selected[0].spec.clusterIP).toBe('None');
    expect(selected[0].spec.ports.map((p: any) => p.name)).toEqual(sm.endpoints.map((e: any) => e.port));
    expect(sm.jobLabel).toBe('app.kubernetes.io/name');
    expect(selected[0].metadata.labels?.['app.kubernetes.io/name']).toBe('media-ai-api');
    expect(sm.podTargetLabels).toEqual(['rollouts-pod-template-hash']);
  });

  test('the analysis template: SLO queries per version, empty-result guard, failure limits', () => {
    const template = only(renderApi({ delivery: { type: 'canary', analysis: { ...ANALYSIS, failureLimit: 2, count: 10, inconclusiveLimit: 3 } }, slo: { availabilityPercent: 99.5, latencyThresholdSeconds: 0.25, latencyPercent: 95 } }), 'AnalysisTemplate');
    expect(template.spec.args).toEqual([{ name: 'version-hash' }]);
    const [success, latency] = template.spec.metrics;
    expect(success).toMatchObject({
      name: 'success-rate', interval: '1m', initialDelay: '1m', count: 10, failureLimit: 2, inconclusiveLimit: 3,
      successCondition: 'len(result) > 0 && result[0] >= 0.995', failureCondition: 'len(result) > 0 && result[0] < 0.995',
      provider: { prometheus: { address: PROMETHEUS } },
    });
    expect(success.provider.prometheus.query).toBe('1 - ((sum(rate(http_requests_total{job="media-ai-api",rollouts_pod_template_hash="{{args.version-hash}}",status=~"5.."}[2m])) or vector(0)) / sum(rate(http_requests_total{job="media-ai-api",rollouts_pod_template_hash="{{args.version-hash}}"}[2m])))');
    expect(latency.successCondition).toBe('len(result) > 0 && result[0] >= 0.95');
    expect(latency.provider.prometheus.query).toContain('le="0.25"');
  });

  test('the SLO is given once: the stack alerts on the ApiService slo prop, and disagreeing monitor() options fail', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'app', { namespace: 'media-ai' });
    const monitoring = new Chart(app, 'monitoring', { namespace: 'monitoring' });
    const api = new ApiService(chart, 'media-ai-api', { image: IMAGE, slo: { availabilityPercent: 99.5 }, delivery: { type: 'canary', analysis: ANALYSIS } });
    const grafana = { adminUser: { name: 'grafana-admin', key: 'user' }, adminPassword: { name: 'grafana-admin', key: 'password' } };
    const stack = new ObservabilityStack(monitoring, 'observability', { grafana });
    expect(() => stack.monitor(api, { slo: { availabilityPercent: 99.9 } })).toThrow(/monitoring\/observability: slo \(\{"availabilityPercent":99.9\}\) differs from the slo prop of app\/media-ai-api/);
    stack.monitor(api, { slo: { availabilityPercent: 99.5 } });
    const rules = JSON.stringify(ofKind(Testing.synth(monitoring) as K8sObject[], 'PrometheusRule'));
    // 14.4 × the 0.5 % budget: the burn-rate alerts use the ApiService's SLO.
    expect(rules).toContain('> 0.072');
    expect(JSON.stringify(only(Testing.synth(chart) as K8sObject[], 'AnalysisTemplate'))).toContain('result[0] >= 0.995');
  });

  test('the reference app renders media-ai-api with each strategy, and Prometheus admits the Argo Rollouts controller', () => {
    const render = (apiDelivery?: MediaAiPlatformProps['apiDelivery']) => {
      const app = Testing.app();
      new MediaAiPlatform(app, 'media-ai', { apiDelivery });
      return synthAppValid(app);
    };
    const fromArgo = (objects: K8sObject[]) => only(objects, 'NetworkPolicy', 'prometheus').spec.ingress
      .filter((r: any) => r.from?.some((f: any) => f.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === 'argo-rollouts'));
    const rolling = render();
    expect(ofKind(rolling, 'Rollout')).toEqual([]);
    expect(fromArgo(rolling)).toEqual([]);
    for (const delivery of [{ type: 'canary', analysis: ANALYSIS }, { type: 'blueGreen', prePromotionAnalysis: true, analysis: ANALYSIS }] as const) {
      const objects = render(delivery);
      expect(only(objects, 'Rollout', 'media-ai-api').spec.strategy[delivery.type]).toBeDefined();
      expect(only(objects, 'AnalysisTemplate', 'media-ai-api-slo').spec.metrics).toHaveLength(2);
      expect(fromArgo(objects)).toEqual([{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'argo-rollouts' } } }], ports: [{ port: 9090, protocol: 'TCP' }] }]);
    }
  });
});

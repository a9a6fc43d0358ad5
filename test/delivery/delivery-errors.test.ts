import { ApiServiceProps, PropValidationError } from '../../lib';
import { ANALYSIS, construct } from './fixtures';

const P = 'test/media-ai-api: ';
const cases: Array<[string, Partial<ApiServiceProps>, string]> = [
  ['unknown strategy', { delivery: { type: 'recreate' } as never },
    `${P}delivery.type ("recreate") must be 'rolling', 'blueGreen' or 'canary'`],
  ['weight above 100', { delivery: { type: 'canary', steps: [{ setWeight: 50 }, { setWeight: 120 }] } },
    `${P}delivery.steps[1].setWeight (120) must be an integer ≥ 1 and ≤ 100`],
  ['weights not increasing', { delivery: { type: 'canary', steps: [{ setWeight: 50 }, { pause: { duration: '1m' } }, { setWeight: 30 }] } },
    `${P}delivery.steps[2].setWeight (30) must be greater than the previous weight (50)`],
  ['weight 0', { delivery: { type: 'canary', steps: [{ setWeight: 0 }] } },
    `${P}delivery.steps[0].setWeight (0) must be an integer ≥ 1 and ≤ 100`],
  ['pause without duration, no manual promotion', { delivery: { type: 'canary', steps: [{ setWeight: 20 }, { pause: {} }] } },
    `${P}delivery.steps[1].pause.duration (missing) is required unless delivery.manualPromotion is true`],
  ['pause with a malformed duration', { delivery: { type: 'canary', steps: [{ pause: { duration: '5 minutes' } }] } },
    `${P}delivery.steps[0].pause.duration ("5 minutes") must be a positive duration in s, m or h`],
  ['step with two actions', { delivery: { type: 'canary', steps: [{ setWeight: 20, pause: { duration: '1m' } }] } },
    `${P}delivery.steps[0] ({"setWeight":20,"pause":{"duration":"1m"}}) must have exactly one of setWeight, pause, analysis, setCanaryScale`],
  ['no steps', { delivery: { type: 'canary', steps: [] } },
    `${P}delivery.steps ([]) must list at least one step`],
  ['analysis step without a Prometheus address', { delivery: { type: 'canary', steps: [{ setWeight: 20 }, { analysis: true }] } },
    `${P}delivery.analysis.prometheusAddress (missing) is required for delivery.steps[1].analysis: the analysis queries Prometheus`],
  ['background analysis without a Prometheus address', { delivery: { type: 'canary', backgroundAnalysis: true } },
    `${P}delivery.analysis.prometheusAddress (missing) is required for delivery.backgroundAnalysis`],
  ['analysis configured but used by no step', { delivery: { type: 'blueGreen', analysis: ANALYSIS } },
    `${P}delivery.analysis ({"prometheusAddress":"http://prometheus.monitoring.svc:9090"}) is not used by any step: add prePromotionAnalysis or postPromotionAnalysis, or remove it`],
  ['Prometheus address that is not a URL', { delivery: { type: 'canary', analysis: { prometheusAddress: 'prometheus:9090' } } },
    `${P}delivery.analysis.prometheusAddress ("prometheus:9090") must be an http(s) URL`],
  ['failure limit that can never be reached', { delivery: { type: 'canary', analysis: { ...ANALYSIS, count: 3, failureLimit: 3 } } },
    `${P}delivery.analysis.failureLimit (3) must be below delivery.analysis.count (3), or a bad version never fails the analysis`],
  ['pre-promotion analysis without a preview Service', { delivery: { type: 'blueGreen', previewService: false, prePromotionAnalysis: true, analysis: ANALYSIS } },
    `${P}delivery.prePromotionAnalysis (true) needs delivery.previewService`],
  ['post-promotion analysis without a Prometheus address', { delivery: { type: 'blueGreen', postPromotionAnalysis: true } },
    `${P}delivery.analysis.prometheusAddress (missing) is required for delivery.postPromotionAnalysis`],
  ['auto-promotion delay with auto-promotion off', { delivery: { type: 'blueGreen', autoPromotionEnabled: false, autoPromotionSeconds: 60 } },
    `${P}delivery.autoPromotionSeconds (60) has no effect with delivery.autoPromotionEnabled false`],
  ['scale-down delay too short to roll back', { delivery: { type: 'blueGreen', scaleDownDelaySeconds: 5 } },
    `${P}delivery.scaleDownDelaySeconds (5) must be an integer ≥ 30`],
  ['NGINX routing without an Ingress', { ingress: undefined, delivery: { type: 'canary', trafficRouting: { nginx: {} } } },
    `${P}delivery.trafficRouting.nginx ({}) needs the ingress prop`],
  ['unsupported traffic router', { delivery: { type: 'canary', trafficRouting: { istio: {} } as never } },
    `${P}delivery.trafficRouting ({"istio":{}}) supports { nginx: {} } (the NGINX ingress controller)`],
  ['setCanaryScale without a traffic router', { delivery: { type: 'canary', steps: [{ setCanaryScale: { replicas: 1 } }, { setWeight: 10 }] } },
    `${P}delivery.steps[0].setCanaryScale ({"replicas":1}) needs delivery.trafficRouting`],
  ['setCanaryScale with two settings', { delivery: { type: 'canary', trafficRouting: { nginx: {} }, steps: [{ setCanaryScale: { replicas: 1, weight: 10 } }] } },
    `${P}delivery.steps[0].setCanaryScale ({"replicas":1,"weight":10}) takes exactly one of weight, replicas, matchTrafficWeight`],
  ['SLO objective the analysis could never meet', { slo: { availabilityPercent: 100 }, delivery: { type: 'canary', analysis: ANALYSIS } },
    `${P}slo.availabilityPercent (100) must be a percentage between 90 and 99.999`],
  ['SLO latency threshold of zero', { slo: { latencyThresholdSeconds: 0 } },
    `${P}slo.latencyThresholdSeconds (0) must be a positive number of seconds`],
  ['scale-down delay on a replica-weighted canary', { delivery: { type: 'canary', scaleDownDelaySeconds: 60 } },
    `${P}delivery.scaleDownDelaySeconds (60) applies only with delivery.trafficRouting`],
];

describe('delivery: bad input fails at synth with the construct path, the prop and what is accepted', () => {
  test.each(cases)('%s', (_name, props, message) => {
    let error: unknown;
    try {
      construct(props);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PropValidationError);
    expect((error as Error).message.startsWith(message)).toBe(true);
  });

  test(`${cases.length} cases, at least 10`, () => expect(cases.length).toBeGreaterThanOrEqual(10));
});

import { PlatformNamespace } from '../../lib';
import { only, synthValid, testChart } from '../harness/synth';

describe('PlatformNamespace', () => {
  test('labels the namespace for Pod Security Admission "restricted" and denies by default', () => {
    const chart = testChart(undefined);
    new PlatformNamespace(chart, 'media-ai');
    const objects = synthValid(chart);
    expect(only(objects, 'Namespace').metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.27',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
    });
    expect(only(objects, 'NetworkPolicy').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(only(objects, 'NetworkPolicy').metadata.namespace).toBe('media-ai');
  });

  test.each([
    [{ name: 'Media_AI' }, /test\/ns: name \("Media_AI"\) must be a DNS-1123 label/],
    [{ podSecurityVersion: '1.27' }, /test\/ns: podSecurityVersion \("1.27"\) must be 'latest' or a version/],
  ])('rejects %j', (props, message) => {
    expect(() => new PlatformNamespace(testChart(), 'ns', props)).toThrow(message);
  });
});

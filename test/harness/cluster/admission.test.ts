/** Harness rules, each with a fixture that fails and one that passes: Pod Security admission, with operator-added containers. */
import { checkCluster, Finding, K8sObject } from '.';
import { deployment, monitoringStack, namespace, RESTRICTED_SC } from './fixtures';
import { podSecurityViolations } from './admission';

const messages = (f: Finding[]) => f.map((x) => `${x.object}: ${x.message}`);

describe('admission (Pod Security Standards v1.27)', () => {
  test('restricted rules, one by one', () => {
    const spec = (pod: any, c: any) => ({ securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, ...pod }, containers: [{ name: 'c', securityContext: { ...RESTRICTED_SC, ...c } }] });
    expect(podSecurityViolations(spec({}, {}), 'restricted')).toEqual([]);
    expect(podSecurityViolations(spec({}, { allowPrivilegeEscalation: undefined }), 'restricted')).toEqual(['allowPrivilegeEscalation != false (containers c)']);
    expect(podSecurityViolations(spec({ runAsNonRoot: undefined }, {}), 'restricted')).toEqual(['runAsNonRoot != true (containers c)']);
    expect(podSecurityViolations(spec({ seccompProfile: undefined }, {}), 'restricted')).toEqual(['seccompProfile not RuntimeDefault/Localhost (containers c)']);
    expect(podSecurityViolations(spec({ seccompProfile: undefined }, { seccompProfile: { type: 'Localhost', localhostProfile: 'p' } }), 'restricted')).toEqual([]);
    expect(podSecurityViolations(spec({}, { capabilities: { drop: ['NET_RAW'] } }), 'restricted')).toEqual(['capabilities.drop does not include ALL (containers c)']);
    expect(podSecurityViolations(spec({}, { capabilities: { drop: ['ALL'], add: ['NET_ADMIN'] } }), 'restricted')).toEqual([
      'capabilities.add beyond the baseline set (containers c)', 'capabilities.add other than NET_BIND_SERVICE (containers c)']);
    expect(podSecurityViolations(spec({ runAsUser: 0 }, {}), 'restricted')).toEqual(['pod runAsUser: 0']);
    expect(podSecurityViolations({ ...spec({}, {}), volumes: [{ name: 'logs', hostPath: { path: '/var/log' } }] }, 'restricted')).toEqual([
      'hostPath volumes (logs)', 'volume types not allowed (logs)']);
    expect(podSecurityViolations({ ...spec({}, {}), volumes: [{ name: 'logs', hostPath: { path: '/var/log' } }], hostNetwork: true }, 'baseline')).toEqual(['hostNetwork: true', 'hostPath volumes (logs)']);
    expect(podSecurityViolations({ containers: [{ name: 'c', securityContext: { runAsUser: 0 } }] }, 'baseline')).toEqual([]);
  });

  test('each pod against its namespace enforce label', () => {
    const agent = deployment('agent', { kind: 'DaemonSet', podSpec: { volumes: [{ name: 'logs', hostPath: { path: '/var/log' } }] } });
    expect(messages(checkCluster([namespace('app'), agent], { checks: ['admission'] }))).toEqual([
      'DaemonSet app/agent: Pod Security "restricted" of namespace app rejects the pod: hostPath volumes (logs)',
      'DaemonSet app/agent: Pod Security "restricted" of namespace app rejects the pod: volume types not allowed (logs)',
    ]);
    expect(checkCluster([namespace('app', 'privileged'), agent], { checks: ['admission'] })).toEqual([]);
  });

  test('ECK Logstash adds logstash-internal-init-config with only privileged: false; a same-named template init container is merged over it', () => {
    const logstash = (initContainers?: any[]) => ({
      apiVersion: 'logstash.k8s.elastic.co/v1alpha1', kind: 'Logstash', metadata: { name: 'ls', namespace: 'app' },
      spec: { version: '8.13.4', count: 1, podTemplate: { spec: { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }, containers: [{ name: 'logstash', securityContext: RESTRICTED_SC }], initContainers } } },
    });
    expect(messages(checkCluster([namespace('app'), logstash()], { checks: ['admission'] }))).toEqual([
      'Logstash app/ls: Pod Security "restricted" of namespace app rejects the pod: allowPrivilegeEscalation != false (containers logstash-internal-init-config)',
      'Logstash app/ls: Pod Security "restricted" of namespace app rejects the pod: capabilities.drop does not include ALL (containers logstash-internal-init-config)',
    ]);
    expect(checkCluster([namespace('app'), logstash([{ name: 'logstash-internal-init-config', securityContext: RESTRICTED_SC }])], { checks: ['admission'] })).toEqual([]);
    // secureSettings add the keystore init container, also with only privileged: false
    const withKeystore = { ...logstash([{ name: 'logstash-internal-init-config', securityContext: RESTRICTED_SC }]), spec: { ...logstash().spec, secureSettings: [{ secretName: 's' }] } };
    withKeystore.spec.podTemplate = logstash([{ name: 'logstash-internal-init-config', securityContext: RESTRICTED_SC }]).spec.podTemplate;
    expect(messages(checkCluster([namespace('app'), withKeystore], { checks: ['admission'] }))).toEqual([
      'Logstash app/ls: Pod Security "restricted" of namespace app rejects the pod: allowPrivilegeEscalation != false (containers elastic-internal-init-keystore)',
      'Logstash app/ls: Pod Security "restricted" of namespace app rejects the pod: capabilities.drop does not include ALL (containers elastic-internal-init-keystore)',
    ]);
  });

  test('ECK keeps a template container securityContext whole; the Prometheus Operator merges it field by field', () => {
    const es = (initSc: any) => ({
      apiVersion: 'elasticsearch.k8s.elastic.co/v1', kind: 'Elasticsearch', metadata: { name: 'logs', namespace: 'app' },
      spec: { version: '8.13.4', nodeSets: [{ name: 'default', count: 1, podTemplate: { spec: { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }, initContainers: [{ name: 'elastic-internal-init-filesystem', securityContext: initSc }] } } }] },
    });
    // ECK >= 8.8 defaults are restricted-compatible; a partial template securityContext replaces them
    expect(checkCluster([namespace('app'), es(undefined)], { checks: ['admission'] })).toEqual([]);
    expect(messages(checkCluster([namespace('app'), es({ runAsUser: 1000 })], { checks: ['admission'] }))).toEqual([
      'Elasticsearch app/logs: Pod Security "restricted" of namespace app rejects the pod: allowPrivilegeEscalation != false (containers elastic-internal-init-filesystem)',
      'Elasticsearch app/logs: Pod Security "restricted" of namespace app rejects the pod: capabilities.drop does not include ALL (containers elastic-internal-init-filesystem)',
    ]);
    const stack = monitoringStack();
    stack[0].spec.initContainers = [{ name: 'init-config-reloader', securityContext: { runAsUser: 1000 } }];
    expect(checkCluster([namespace('monitoring'), ...stack], { checks: ['admission'] })).toEqual([]);
  });

  test('ECK 2.16.1 renamed Kibana\'s init container to elastic-internal-init, added with no securityContext', () => {
    const kibana = (initContainers?: any[]) => ({
      apiVersion: 'kibana.k8s.elastic.co/v1', kind: 'Kibana', metadata: { name: 'kb', namespace: 'app' },
      spec: { version: '8.13.4', count: 1, podTemplate: { spec: { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }, initContainers } } },
    });
    const hardened = (name: string) => [{ name, securityContext: RESTRICTED_SC }];
    const admission = (o: K8sObject, eckVersion?: string) => messages(checkCluster([namespace('app'), o], { checks: ['admission'], eckVersion }));
    expect(admission(kibana())).toEqual([
      'Kibana app/kb: Pod Security "restricted" of namespace app rejects the pod: allowPrivilegeEscalation != false (containers elastic-internal-init)',
      'Kibana app/kb: Pod Security "restricted" of namespace app rejects the pod: capabilities.drop does not include ALL (containers elastic-internal-init)',
    ]);
    expect(admission(kibana(hardened('elastic-internal-init')))).toEqual([]);
    // hardening the old name under 2.16.1 leaves ECK's container as it is (and adds one of the template's own)
    expect(admission(kibana(hardened('elastic-internal-init-config')))).toHaveLength(2);
    expect(admission(kibana(hardened('elastic-internal-init-config')), '2.16.0')).toEqual([]);
    expect(admission(kibana(), '2.15.0')).toEqual([
      'Kibana app/kb: Pod Security "restricted" of namespace app rejects the pod: allowPrivilegeEscalation != false (containers elastic-internal-init-config)',
      'Kibana app/kb: Pod Security "restricted" of namespace app rejects the pod: capabilities.drop does not include ALL (containers elastic-internal-init-config)',
    ]);
  });

  test('Prometheus Operator containers take seccomp from the CR pod securityContext', () => {
    const noSeccomp = messages(checkCluster([namespace('monitoring'), ...monitoringStack('monitoring', { podSc: { runAsNonRoot: true } })], { checks: ['admission'] }));
    expect(noSeccomp).toEqual([
      'Prometheus monitoring/prometheus: Pod Security "restricted" of namespace monitoring rejects the pod: seccompProfile not RuntimeDefault/Localhost (containers init-config-reloader, prometheus, config-reloader)',
      'Alertmanager monitoring/main: Pod Security "restricted" of namespace monitoring rejects the pod: seccompProfile not RuntimeDefault/Localhost (containers init-config-reloader, alertmanager, config-reloader)',
    ]);
    expect(checkCluster([namespace('monitoring'), ...monitoringStack()], { checks: ['admission'] })).toEqual([]);
  });
});

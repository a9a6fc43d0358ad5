import { ApiObject, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { checkPolicy, enforcePolicy, exemptFromPolicy, exemptionAnnotations, formatPolicyReport, Manifest, PolicyGateError, PolicyRule, POLICY_RULES } from '../../lib/policy';
import { expectValid, K8sObject } from '../harness/synth';

// A compliant workload: every rule passes. Each case below breaks exactly one rule.
const labels = { 'app.kubernetes.io/name': 'web' };
const container = () => ({
  name: 'web',
  image: 'registry.example.com/web:1.2.3',
  resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
  readinessProbe: { httpGet: { path: '/ready', port: 8080 } },
  livenessProbe: { httpGet: { path: '/healthz', port: 8080 } },
  securityContext: { runAsNonRoot: true, runAsUser: 10001, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
});
const deployment = (): Manifest => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'team' },
  spec: {
    replicas: 2, selector: { matchLabels: labels },
    template: { metadata: { labels }, spec: { serviceAccountName: 'web', automountServiceAccountToken: false, priorityClassName: 'media-ai-api', containers: [container()] } },
  },
});
const others = (): Manifest[] => [
  { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'web', namespace: 'team' }, automountServiceAccountToken: false },
  { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: 'team' }, spec: { maxUnavailable: 1, selector: { matchLabels: labels } } },
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'team' }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } },
];
const role = (rules: unknown[]): Manifest => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'reader' }, rules });
const secret = (stringData: Record<string, string>): Manifest => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'team' }, stringData });

type Case = { rule: PolicyRule; name: string; message: string; break: (d: any, rest: Manifest[]) => Manifest[] | void };
const pod = (d: any) => d.spec.template.spec;
const c0 = (d: any) => pod(d).containers[0];
const CASES: Case[] = [
  { rule: 'pod-security', name: 'hostNetwork', message: 'hostNetwork: true', break: (d) => { pod(d).hostNetwork = true; } },
  { rule: 'pod-security', name: 'hostPath volume', message: 'volume data of type hostPath', break: (d) => { pod(d).volumes = [{ name: 'data', hostPath: { path: '/var' } }]; } },
  { rule: 'pod-security', name: 'privilege escalation', message: 'container web: allowPrivilegeEscalation is not false', break: (d) => { delete c0(d).securityContext.allowPrivilegeEscalation; } },
  { rule: 'pod-security', name: 'root', message: 'container web: runAsNonRoot is not true', break: (d) => { delete c0(d).securityContext.runAsNonRoot; } },
  { rule: 'pod-security', name: 'seccomp', message: 'container web: seccompProfile is not RuntimeDefault or Localhost', break: (d) => { c0(d).securityContext.seccompProfile = { type: 'Unconfined' }; } },
  { rule: 'pod-security', name: 'capabilities', message: 'container web: adds capabilities NET_ADMIN', break: (d) => { c0(d).securityContext.capabilities.add = ['NET_ADMIN']; } },
  { rule: 'pod-security', name: 'init container', message: 'container init: capabilities do not drop ALL', break: (d) => { pod(d).initContainers = [{ ...container(), name: 'init', securityContext: { ...container().securityContext, capabilities: {} } }]; } },
  { rule: 'read-only-root-filesystem', name: 'writable root', message: 'container web has a writable root filesystem', break: (d) => { c0(d).securityContext.readOnlyRootFilesystem = false; } },
  { rule: 'resources', name: 'memory limit', message: 'container web has no memory limit', break: (d) => { delete c0(d).resources.limits.memory; } },
  { rule: 'resources', name: 'cpu request', message: 'container web has no cpu request', break: (d) => { delete c0(d).resources.requests.cpu; } },
  { rule: 'probes', name: 'readiness', message: 'container web has no readinessProbe', break: (d) => { delete c0(d).readinessProbe; } },
  { rule: 'probes', name: 'liveness', message: 'container web has no livenessProbe', break: (d) => { delete c0(d).livenessProbe; } },
  { rule: 'image-pinned', name: 'latest', message: 'container web image "registry.example.com/web:latest" is not pinned by tag or digest', break: (d) => { c0(d).image = 'registry.example.com/web:latest'; } },
  { rule: 'image-pinned', name: 'no tag (registry port)', message: 'container web image "registry.example.com:5000/web" is not pinned by tag or digest', break: (d) => { c0(d).image = 'registry.example.com:5000/web'; } },
  { rule: 'disruption-budget', name: 'no PDB', message: '2 replicas and no PodDisruptionBudget selects the pods', break: (_d, rest) => rest.filter((o) => o.kind !== 'PodDisruptionBudget') },
  { rule: 'disruption-budget', name: 'PDB allowing nothing', message: 'PodDisruptionBudget web allows no disruption of 2 replicas', break: (_d, rest) => { rest[1].spec = { minAvailable: '100%', selector: { matchLabels: labels } }; } },
  { rule: 'disruption-budget', name: 'HPA maximum', message: '10 replicas and no PodDisruptionBudget selects the pods', break: (d, rest) => [
    ...rest.filter((o) => o.kind !== 'PodDisruptionBudget'),
    { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: 'team' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 10 } },
    (d.spec.replicas = 1, d),
  ] },
  { rule: 'network-policy', name: 'ingress only', message: 'no NetworkPolicy of type Egress selects the pods', break: (_d, rest) => { rest[2].spec.policyTypes = ['Ingress']; } },
  { rule: 'network-policy', name: 'other namespace', message: 'no NetworkPolicy of type Ingress or Egress selects the pods', break: (_d, rest) => { rest[2].metadata!.namespace = 'other'; } },
  { rule: 'credential-literal', name: 'password env', message: 'container web env DB_PASSWORD is a literal under a credential name', break: (d) => { c0(d).env = [{ name: 'DB_PASSWORD', value: 'hunter2' }]; } },
  { rule: 'credential-literal', name: 'URL with password', message: 'container web env DATABASE_URL holds a password in a URL', break: (d) => { c0(d).env = [{ name: 'DATABASE_URL', value: 'postgres://app:s3cret@db:5432/app' }]; } },
  { rule: 'credential-literal', name: 'password flag', message: 'container web command/args item 1 holds a credential', break: (d) => { c0(d).args = ['--user=app', '--password=s3cret']; } },
  { rule: 'service-account-token', name: 'token mounted', message: 'the ServiceAccount token is mounted (automountServiceAccountToken is true)', break: (d) => { pod(d).automountServiceAccountToken = true; } },
  { rule: 'service-account-token', name: 'default ServiceAccount', message: 'the ServiceAccount token is mounted (automountServiceAccountToken is unset, ServiceAccount default not in the app)', break: (d) => { delete pod(d).automountServiceAccountToken; delete pod(d).serviceAccountName; } },
  { rule: 'priority-class', name: 'no class', message: 'the pod template has no priorityClassName', break: (d) => { delete pod(d).priorityClassName; } },
];

const exempt = (o: Manifest, rule: PolicyRule) => { o.metadata!.annotations = { ...o.metadata!.annotations, [`policy.media-ai.io/exempt-${rule}`]: 'because the fixture says so' }; };

describe('policy rules, one fixture per violation', () => {
  test('the compliant fixture passes every rule', () => {
    expect(checkPolicy([deployment(), ...others()])).toEqual({ errors: [], warnings: [], exemptions: [] });
  });

  test('every rule has a fixture', () => {
    const covered = new Set([...CASES.map((c) => c.rule), 'rbac-dangerous', 'credential-literal']);
    expect(POLICY_RULES.filter((r) => !covered.has(r))).toEqual([]);
  });

  test.each(CASES)('$rule: $name fails, exempted passes and is reported', ({ rule, message, break: breakIt }) => {
    const d = deployment();
    const rest = others();
    const objects = breakIt(d, rest) ?? [d, ...rest];
    const all = objects.includes(d) ? objects : [d, ...objects];
    const report = checkPolicy(all);
    expect(report.errors.map((f) => [f.rule, f.message])).toEqual([[rule, message]]);
    expect(report.errors[0].object).toBe('Deployment team/web');
    expect(() => enforcePolicy(all, { log: () => undefined })).toThrow(PolicyGateError);

    exempt(d, rule);
    const exempted = checkPolicy(all);
    expect(exempted.errors).toEqual([]);
    expect(exempted.exemptions).toEqual([{ object: 'Deployment team/web', rule, reason: 'because the fixture says so', used: true }]);
  });

  test.each([
    ['every verb', [{ apiGroups: [''], resources: ['pods'], verbs: ['*'] }], 'rules[0] grants every verb'],
    ['secrets', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }], 'rules[0] grants secrets'],
    ['pods/exec', [{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }], 'rules[0] grants pods/exec'],
  ])('rbac-dangerous: a ClusterRole granting %s fails, exempted passes', (_name, rules, message) => {
    const r = role(rules);
    expect(checkPolicy([r]).errors.map((f) => [f.object, f.rule, f.message])).toEqual([['ClusterRole reader', 'rbac-dangerous', message]]);
    expect(checkPolicy([role([{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }])]).errors).toEqual([]);
    exempt(r, 'rbac-dangerous');
    expect(checkPolicy([r]).errors).toEqual([]);
  });

  test('credential-literal: a Secret with a literal password fails; an empty or harmless one passes', () => {
    const s = secret({ password: 'hunter2', host: 'db' });
    expect(checkPolicy([s]).errors.map((f) => f.message)).toEqual(['Secret key password carries a literal credential']);
    expect(checkPolicy([secret({ host: 'db.example.com' })]).errors).toEqual([]);
    expect(checkPolicy([{ ...secret({}), stringData: undefined, data: { token: Buffer.from('ghp_' + 'a1B2'.repeat(10)).toString('base64') } }]).errors.map((f) => f.message))
      .toEqual(['Secret key token carries a literal credential']);
  });

  test('Jobs need no probes; a Secret-backed env var is not a literal', () => {
    const d = deployment();
    delete c0(d).readinessProbe;
    delete c0(d).livenessProbe;
    c0(d).env = [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }, { name: 'AUTH_TYPE', value: 'public' }];
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'web', namespace: 'team' }, spec: { template: d.spec.template } };
    expect(checkPolicy([job, ...others()]).errors).toEqual([]);
  });

  test('warnOnly turns a rule into warnings that do not fail', () => {
    const d = deployment();
    delete pod(d).priorityClassName;
    const logged: string[] = [];
    const report = enforcePolicy([d, ...others()], { warnOnly: ['priority-class'], log: (t) => logged.push(t) });
    expect(report.errors).toEqual([]);
    expect(report.warnings.map((f) => f.rule)).toEqual(['priority-class']);
    expect(logged.join('')).toContain('Policy gate: warnings (rules in warnOnly) (1):');
    expect(() => enforcePolicy([d, ...others()], { warnOnly: ['no-such-rule' as PolicyRule] })).toThrow('warnOnly ("no-such-rule") must list rules of pod-security');
  });

  test('the error lists each finding as a table row: object, rule, why, how to fix', () => {
    const d = deployment();
    delete pod(d).priorityClassName;
    expect(() => enforcePolicy([d, ...others()])).toThrow([
      'Policy gate: errors (1):',
      '',
      '| object | rule | why | how to fix |',
      '| --- | --- | --- | --- |',
      '| Deployment team/web | priority-class | the pod template has no priorityClassName: without a PriorityClass the pod is preempted or left pending in the same order as any batch job | set priorityClassName (PlatformPriorityClasses names the platform tiers) |',
    ].join('\n'));
  });
});

describe('exemptions as data', () => {
  test('exemptFromPolicy writes the gate\'s and each auditor\'s annotations, valid, and the report lists them', () => {
    const chart = Testing.chart();
    const d = new ApiObject(chart, 'web', deployment() as any);
    others().forEach((o, i) => new ApiObject(chart, `other${i}`, o as any));
    const r = new k8s.KubeClusterRole(chart, 'role', { metadata: { name: 'reader' }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }] });
    exemptFromPolicy(d, { rule: 'read-only-root-filesystem', reason: 'writes its cache under /opt' }, { rule: 'probes', reason: 'no HTTP port' });
    exemptFromPolicy(chart, { rule: 'rbac-dangerous', reason: 'reads the TLS Secret' });
    const objects = Testing.synth(chart) as K8sObject[];
    expectValid(objects);
    expect((objects[0] as Manifest).metadata?.annotations).toEqual({
      'policy.media-ai.io/exempt-read-only-root-filesystem': 'writes its cache under /opt',
      'polaris.fairwinds.com/notReadOnlyRootFilesystem-exempt': 'true',
      'ignore-check.kube-linter.io/no-read-only-root-fs': 'writes its cache under /opt',
      'policy.media-ai.io/exempt-probes': 'no HTTP port',
      'polaris.fairwinds.com/readinessProbeMissing-exempt': 'true',
      'polaris.fairwinds.com/livenessProbeMissing-exempt': 'true',
      'ignore-check.kube-linter.io/no-liveness-probe': 'no HTTP port',
      'ignore-check.kube-linter.io/no-readiness-probe': 'no HTTP port',
      'checkov.io/skip1': 'CKV_K8S_22=writes its cache under /opt',
      'checkov.io/skip2': 'CKV_K8S_8=no HTTP port',
      'checkov.io/skip3': 'CKV_K8S_9=no HTTP port',
      'kube-score/ignore': 'container-security-context-readonlyrootfilesystem,pod-probes',
    });
    expect((objects.find((o) => o.kind === 'ClusterRole') as Manifest).metadata?.annotations?.['checkov.io/skip1']).toBe('CKV_K8S_49=reads the TLS Secret');
    const report = checkPolicy(objects);
    expect(report.errors).toEqual([]);
    expect(report.exemptions.map((e) => [e.object, e.rule, e.used])).toEqual([
      ['Deployment team/web', 'probes', false],
      ['Deployment team/web', 'read-only-root-filesystem', false],
      ['ClusterRole reader', 'rbac-dangerous', true],
    ]);
    expect(formatPolicyReport(report)).toContain('| ClusterRole reader | rbac-dangerous | reads the TLS Secret | yes |');
    expect(r.kind).toBe('ClusterRole');
  });

  test('an exemption needs a known rule, a reason and an object', () => {
    const chart = Testing.chart();
    const d = new ApiObject(chart, 'web', deployment() as any);
    expect(() => exemptFromPolicy(d, { rule: 'probes', reason: ' ' })).toThrow('test/web: exemption.reason of probes (" ") must be a non-empty sentence saying why');
    expect(() => exemptFromPolicy(d, { rule: 'nope' as PolicyRule, reason: 'x' })).toThrow('test/web: exemption.rule ("nope") must be one of pod-security,');
    expect(() => exemptFromPolicy(chart, { rule: 'rbac-dangerous', reason: 'x' })).toThrow('test: exemption of rbac-dangerous ("rbac-dangerous") must apply to an object');
    expect(exemptionAnnotations(new Map())).toEqual({});
  });
});

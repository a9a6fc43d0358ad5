/**
 * The spec's local environment (11.1.1, docker-compose): the API and the stores it reaches,
 * translated from the synthesized objects of an environment, so images, commands, environment
 * variable names, ports, health checks and configuration files are the cluster's own.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Yaml } from 'cdk8s';
import { fail } from '../shared';
import { DEV, EnvironmentConfig } from './environments';
import { MediaAiPlatform } from './media-ai-platform';
import { renderApp } from './synth';

type Json = Record<string, any>;

/** The files of a compose project: `compose.yaml`, `.env.example` and the mounted configuration files, by relative path. */
export type ComposeFiles = Map<string, string>;

const WORKLOADS = ['Deployment', 'StatefulSet', 'Job'];

/** The variable of `.env` that holds a Secret's key: `media-ai-redis`/`password` → MEDIA_AI_REDIS_PASSWORD. */
export function envVariable(secret: string, key: string): string {
  return `${secret}_${key}`.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

/** Escapes `$` for compose's interpolation, keeping our own `${VAR}` references. */
const literal = (text: string) => text.replace(/\$/g, '$$$$');

/**
 * The compose project of rendered objects: the workload `entry` (a Deployment) and, transitively,
 * the workloads whose Services it reaches (a `<service>.<namespace>.svc` name in its pod spec or
 * in a ConfigMap it mounts), plus the Jobs that reach them (except backups); init containers become
 * one-shot services the main container waits for. Secrets come from `.env` (see `.env.example`).
 */
export function composeProject(objects: readonly Json[], namespace: string, entry: string): ComposeFiles {
  const inNs = objects.filter((o) => (o.metadata?.namespace ?? namespace) === namespace);
  const configMaps = new Map(inNs.filter((o) => o.kind === 'ConfigMap').map((o) => [o.metadata.name, o]));
  // Backups, their role setup and drills stay in the cluster: a laptop has no backup destination.
  const workloads = inNs.filter((o) => WORKLOADS.includes(o.kind) && !/^(backup|restore-drill)/.test(o.metadata?.labels?.['app.kubernetes.io/component'] ?? ''));
  const services = new Map(inNs.filter((o) => o.kind === 'Service' && o.spec?.clusterIP !== 'None').map((o) => [o.metadata.name, o]));
  const hostPattern = new RegExp(`([a-z0-9-]+)\\.${namespace}\\.svc(?:\\.cluster\\.local)?`, 'g');
  const podOf = (w: Json): Json => w.spec.template.spec;
  const text = (w: Json) => [JSON.stringify(podOf(w)), ...(podOf(w).volumes ?? []).filter((v: Json) => v.configMap).map((v: Json) => JSON.stringify(configMaps.get(v.configMap.name)?.data ?? {}))].join('\n');
  const reached = (w: Json) => [...new Set([...text(w).matchAll(hostPattern)].map((m) => m[1]))].filter((s) => services.has(s));
  // The workload behind a Service: its selector's labels are a subset of the pod template's.
  const behind = (svc: string) => workloads.find((w) => w.kind !== 'Job' && Object.entries(services.get(svc)!.spec.selector ?? {}).every(([k, v]) => w.spec.template.metadata?.labels?.[k] === v));

  const start = workloads.find((w) => w.metadata.name === entry) ?? fail({ node: { path: 'compose' } } as any, 'entry', entry, `must name a workload of namespace ${namespace}`);
  const chosen = new Map<string, Json>([[entry, start]]);
  for (let queue = [start]; queue.length > 0;) {
    for (const svc of reached(queue.shift()!)) {
      const w = behind(svc);
      if (w && !chosen.has(w.metadata.name)) {
        chosen.set(w.metadata.name, w);
        queue.push(w);
      }
    }
  }
  for (const job of workloads.filter((w) => w.kind === 'Job')) {
    // One-shot Jobs are named after a hash of their template (immutableJobName): the service is not.
    if (reached(job).some((s) => chosen.has(behind(s)?.metadata.name))) chosen.set(String(job.metadata.name).replace(/-[0-9a-f]{10}$/, ''), job);
  }

  const files: ComposeFiles = new Map();
  const secrets = new Set<string>();
  const volumes: Json = {};
  const composeServices: Json = {};
  for (const [name, w] of chosen) {
    const pod = podOf(w);
    const seeds = new Map<string, Json>();
    const podVolumes = new Map<string, Json>((pod.volumes ?? []).map((v: Json) => [v.name, v]));
    const claims = new Set((w.spec.volumeClaimTemplates ?? []).map((t: Json) => t.metadata.name));
    const mount = (m: Json, container: string): string | Json => {
      const v = podVolumes.get(m.name);
      const ro = m.readOnly ? ':ro' : '';
      if (v?.configMap) {
        const data = configMaps.get(v.configMap.name)?.data ?? {};
        for (const [key, value] of Object.entries<string>(data)) files.set(`config/${v.configMap.name}/${key}`, value);
        return m.subPath ? `./config/${v.configMap.name}/${m.subPath}:${m.mountPath}${ro}` : `./config/${v.configMap.name}:${m.mountPath}${ro}`;
      }
      if (!v && !claims.has(m.name)) fail({ node: { path: `compose/${name}/${container}` } } as any, 'volumeMounts', m.name, 'must be a pod volume or a claim template');
      if (v && !v.emptyDir) fail({ node: { path: `compose/${name}/${container}` } } as any, `volumes.${m.name}`, Object.keys(v).filter((k) => k !== 'name'), 'must be a ConfigMap, an emptyDir or a claim template to run in compose');
      // An emptyDir or a claim: a named volume, shared by the pod's init and main containers.
      const volume = `${name}-${m.name}`;
      volumes[volume] = {};
      if (!m.subPath) return `${volume}:${m.mountPath}${ro}`;
      // Compose files of docker-compose 1.x cannot mount a sub-path of a volume: the volume is
      // mounted at the parent folder instead, seeded first with that folder of the image.
      if (path.posix.basename(m.mountPath) !== m.subPath) fail({ node: { path: `compose/${name}/${container}` } } as any, `volumeMounts.${m.name}.subPath`, m.subPath, `must be the last part of its mountPath (${m.mountPath}) to run in compose`);
      const parent = path.posix.dirname(m.mountPath);
      seeds.set(volume, { image: pod.containers[0].image, entrypoint: ['true'], volumes: [`${volume}:${parent}`], restart: 'no' });
      return `${volume}:${parent}${ro}`;
    };
    const service = (c: Json, extra: Json): Json => {
      const env: Record<string, string> = {};
      for (const e of c.env ?? []) {
        if (e.valueFrom?.secretKeyRef) {
          const variable = envVariable(e.valueFrom.secretKeyRef.name, e.valueFrom.secretKeyRef.key);
          secrets.add(variable);
          env[e.name] = `\${${variable}:?set ${variable} in .env}`;
        } else if (e.valueFrom) {
          fail({ node: { path: `compose/${name}/${c.name}` } } as any, `env.${e.name}`, e.valueFrom, 'must be a value or a secretKeyRef to run in compose');
        } else {
          // Kubernetes expands $(VAR) from earlier variables; compose interpolates from .env instead.
          env[e.name] = literal(String(e.value ?? '').replace(hostPattern, '$1'))
            .replace(/\$\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, ref: string) => {
              const source = (c.env ?? []).find((x: Json) => x.name === ref)?.valueFrom?.secretKeyRef;
              return source ? `\${${envVariable(source.name, source.key)}}` : whole;
            });
        }
      }
      const sc = { ...pod.securityContext, ...c.securityContext };
      return {
        image: c.image,
        ...(c.command ? { entrypoint: c.command.map((a: string) => literal(a.replace(hostPattern, '$1'))) } : {}),
        ...(c.args ? { command: c.args.map((a: string) => literal(a.replace(hostPattern, '$1'))) } : {}),
        ...(Object.keys(env).length ? { environment: env } : {}),
        ...(sc.runAsUser !== undefined ? { user: `${sc.runAsUser}:${sc.runAsGroup ?? sc.runAsUser}` } : {}),
        ...(sc.readOnlyRootFilesystem ? { read_only: true } : {}),
        ...(sc.capabilities?.drop ? { cap_drop: sc.capabilities.drop } : {}),
        ...(sc.allowPrivilegeEscalation === false ? { security_opt: ['no-new-privileges:true'] } : {}),
        ...((c.volumeMounts ?? []).length ? { volumes: c.volumeMounts.map((m: Json) => mount(m, c.name)) } : {}),
        ...extra,
      };
    };
    const main = pod.containers[0];
    const mainService = service(main, {});
    // Fresh objects per use: a shared one would be written as a YAML anchor and alias.
    const seeded = () => Object.fromEntries([...seeds.keys()].map((v) => [`${v}-seed`, { condition: 'service_completed_successfully' }]));
    for (const [volume, seed] of seeds) composeServices[`${volume}-seed`] = seed;
    const inits = (pod.initContainers ?? []).map((c: Json) => [`${name}-init-${c.name}`, c] as const);
    for (const [initName, c] of inits) composeServices[initName] = service(c, { restart: 'no', ...(seeds.size ? { depends_on: seeded() } : {}) });
    const dependsOn: Json = { ...seeded(), ...Object.fromEntries(inits.map(([n]: readonly [string, Json]) => [n, { condition: 'service_completed_successfully' }])) };
    for (const svc of reached(w)) {
      const target = behind(svc)?.metadata.name;
      if (target && target !== name && chosen.has(target)) dependsOn[target] = { condition: 'service_healthy' };
    }
    const ports = (main.ports ?? []).map((p: Json) => `127.0.0.1:${p.containerPort}:${p.containerPort}`);
    composeServices[name] = {
      ...mainService,
      ...(w.kind === 'Job' ? { restart: 'on-failure' } : { restart: 'unless-stopped' }),
      ...(ports.length && w.kind !== 'Job' ? { ports } : {}),
      ...(main.readinessProbe ? { healthcheck: healthcheck(main) } : {}),
      ...(Object.keys(dependsOn).length ? { depends_on: dependsOn } : {}),
    };
  }
  files.set('compose.yaml', `# Generated by \`npm run synth:compose\` from the synthesized objects: do not edit.\n${Yaml.stringify({ services: composeServices, volumes })}`);
  files.set('.env.example', [
    '# Copy to .env (git-ignored) and set every value: the credentials the cluster reads from Secrets.',
    ...[...secrets].sort().map((s) => `${s}=`),
    '',
  ].join('\n'));
  return files;
}

/** A Kubernetes readiness probe as a compose health check (an HTTP probe runs curl inside the container). */
function healthcheck(c: Json): Json {
  const probe = c.readinessProbe;
  const timing = { interval: `${probe.periodSeconds ?? 10}s`, timeout: `${probe.timeoutSeconds ?? 1}s`, retries: probe.failureThreshold ?? 3 };
  if (probe.exec) return { test: ['CMD', ...probe.exec.command.map(literal)], ...timing };
  if (probe.httpGet) {
    const port = typeof probe.httpGet.port === 'number' ? probe.httpGet.port : (c.ports ?? []).find((p: Json) => p.name === probe.httpGet.port)?.containerPort;
    return { test: ['CMD', 'curl', '-fsS', '-o', '/dev/null', `http://127.0.0.1:${port}${probe.httpGet.path ?? '/'}`], ...timing };
  }
  if (probe.tcpSocket) return { test: ['CMD-SHELL', `exec 3<>/dev/tcp/127.0.0.1/${probe.tcpSocket.port}`], ...timing };
  return { disable: true };
}

/**
 * `npm run synth:compose`: the local stack of an environment (default dev) into `outdir`:
 * compose.yaml, .env.example and config/. The environment's own validation and renders run first.
 */
export function writeCompose(outdir: string, environment: EnvironmentConfig = DEV): ComposeFiles {
  const app = new App({ outdir });
  const platform = new MediaAiPlatform(app, 'media-ai', { environment });
  const objects: Json[] = [];
  renderApp(app, (o) => objects.push(...o));
  const files = composeProject(objects, platform.chart.namespace!, platform.api.name);
  fs.rmSync(path.join(outdir, 'config'), { recursive: true, force: true });
  for (const [file, content] of files) {
    fs.mkdirSync(path.dirname(path.join(outdir, file)), { recursive: true });
    fs.writeFileSync(path.join(outdir, file), content);
  }
  return files;
}

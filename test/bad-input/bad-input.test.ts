import { Chart, Testing } from 'cdk8s';
import { ApiService, BackupPolicy, DataTier, EnvValue, Minio, ObservabilityStack, PropValidationError, synthesizeAtomically } from '../../lib';
import { TIER_PROPS } from '../data-tier/fixtures';
import {
  api, apiRaw, appChart, backup, destination, GRAFANA, IMAGE, milvus, monitor, monitoringChart, namespace, platform, postgres, redis, stack, tier,
} from './builders';

const r = (c: string, n: number) => c.repeat(n);
const AWS_KEY = 'AKIAIOSFODNN7EXAMPLE';
const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
const PEM = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----';
const env = (name: string, value: string) => api({ env: { [name]: EnvValue.fromValue(value) } });

/**
 * Realistic mistakes, each with the message it must produce: the construct path, the prop, the
 * value and what is accepted. None may surface as a TypeError or an internal construct message.
 */
const cases: Array<[string, () => unknown, RegExp]> = [
  // --- ApiService: names and labels
  ['Service name with a leading digit', () => api({ name: '1api' }), /^test\/api: name \("1api"\) must be a DNS-1035 label \(a Service name\)/],
  ['Service name with capitals', () => api({ name: 'MediaAI' }), /^test\/api: name \("MediaAI"\) must be a DNS-1035 label/],
  ['Service name too long for pod names', () => api({ name: r('a', 54) }), /^test\/api: name \("a{54}"\) must be a DNS-1035 label.*at most 53 characters/],
  ['Service name with a dot', () => api({ name: 'media.api' }), /^test\/api: name \("media.api"\) must be a DNS-1035 label/],
  ['construct id used as name is not a label', () => new ApiService(appChart(), 'Media_API', { image: IMAGE }), /^test\/Media_API: name \("Media_API"\) must be a DNS-1035 label/],
  ['component with a space', () => api({ component: 'API Server' }), /^test\/api: component \("API Server"\) must be a label value/],
  ['component ending in a dash', () => api({ component: 'api-' }), /^test\/api: component \("api-"\) must be a label value/],
  ['metrics stack not a label value', () => api({ metrics: { stack: 'Platform Stack' } }), /^test\/api: metrics.stack \("Platform Stack"\) must be a label value/],
  ['ingress annotation key with a space', () => api({ ingress: { host: 'api.media-ai.com', annotations: { 'nginx ingress/rewrite': '/' } } }), /^test\/api: ingress.annotations \("nginx ingress\/rewrite"\) keys must be a label key/],
  ['service annotation value not a string', () => api({ service: { annotations: { 'example.com/x': 5 } } }), /^test\/api: service.annotations.example.com\/x \(5\) must be a string/],
  ['annotations over 256 KiB', () => api({ service: { annotations: { 'example.com/big': r('x', 300 * 1024) } } }), /^test\/api: service.annotations \("307215 bytes"\) must total at most 262144 bytes/],
  ['priority class with capitals', () => api({ priorityClassName: 'High' }), /^test\/api: priorityClassName \("High"\) must be a DNS-1123 subdomain/],
  ['monitoring namespace with capitals', () => api({ network: { monitoringNamespace: 'Monitoring' } }), /^test\/api: network.monitoringNamespace \("Monitoring"\) must be a DNS-1123 label/],
  ['ingress class with a space', () => api({ ingress: { host: 'api.media-ai.com', className: 'nginx public' } }), /^test\/api: ingress.className \("nginx public"\) must be a DNS-1123 subdomain/],
  ['TLS secret name with underscore', () => api({ ingress: { host: 'api.media-ai.com', tlsSecretName: 'api_tls' } }), /^test\/api: ingress.tlsSecretName \("api_tls"\) must be a DNS-1123 subdomain/],
  // --- ApiService: quantities
  ['memory with a space', () => api({ resources: { memoryLimit: '1 Gi' } }), /^test\/api: resources.memoryLimit \("1 Gi"\) must be a memory quantity/],
  ['memory request with a space', () => api({ resources: { memoryRequest: '2 Gi' } }), /^test\/api: resources.memoryRequest \("2 Gi"\) must be a memory quantity/],
  ['memory in GB spelling', () => api({ resources: { memoryLimit: '4GB' } }), /^test\/api: resources.memoryLimit \("4GB"\) must be a memory quantity/],
  ['memory in millibytes', () => api({ resources: { memoryRequest: '512m' } }), /^test\/api: resources.memoryRequest \("512m"\) must be a whole number of bytes/],
  ['memory too small to start', () => api({ resources: { memoryRequest: '1Ki', memoryLimit: '2Ki' } }), /^test\/api: resources.memoryRequest \("1Ki"\) must be between 4Mi and 1Ti/],
  ['memory of a petabyte', () => api({ resources: { memoryLimit: '1Pi' } }), /^test\/api: resources.memoryLimit \("1Pi"\) must be between 4Mi and 1Ti/],
  ['memory with an exponent and a suffix', () => api({ resources: { memoryLimit: '1e3Gi' } }), /^test\/api: resources.memoryLimit \("1e3Gi"\) must be a memory quantity/],
  ['negative CPU', () => api({ resources: { cpuRequest: '-1' } }), /^test\/api: resources.cpuRequest \("-1"\) must be between 1m and 256/],
  ['zero CPU', () => api({ resources: { cpuRequest: '0' } }), /^test\/api: resources.cpuRequest \("0"\) must be between 1m and 256/],
  ['CPU in cores with a unit', () => api({ resources: { cpuLimit: '2 cores' } }), /^test\/api: resources.cpuLimit \("2 cores"\) must be a CPU quantity/],
  ['CPU as a number', () => api({ resources: { cpuLimit: 2 } }), /^test\/api: resources.cpuLimit \(2\) must be a CPU quantity/],
  ['tmp size with a space', () => api({ tmpSizeLimit: '1 Gi' }), /^test\/api: tmpSizeLimit \("1 Gi"\) must be a size quantity/],
  ['tmp size zero', () => api({ tmpSizeLimit: '0' }), /^test\/api: tmpSizeLimit \("0"\) must be between 1Mi and 1Ti/],
  ['resources typo', () => api({ resources: { memorylimit: '2Gi' } }), /^test\/api: resources.memorylimit \("2Gi"\) is not a prop; did you mean 'memoryLimit'\?/],
  // --- ApiService: durations, paths, hosts, ports
  ['scrape interval below the scrape timeout', () => api({ metrics: { interval: '5s' } }), /^test\/api: metrics.interval \("5s"\) must be at least the scrape timeout \(10s\)/],
  ['scrape interval in the wrong order', () => api({ metrics: { interval: '30s1m' } }), /^test\/api: metrics.interval \("30s1m"\) must be a duration/],
  ['scrape interval fractional', () => api({ metrics: { interval: '1.5m' } }), /^test\/api: metrics.interval \("1.5m"\) must be a duration/],
  ['scrape interval zero', () => api({ metrics: { interval: '0s' } }), /^test\/api: metrics.interval \("0s"\) must be a duration/],
  ['metrics path without slash', () => api({ metrics: { path: 'metrics' } }), /^test\/api: metrics.path \("metrics"\) must be an absolute HTTP path/],
  ['metrics path with a query', () => api({ metrics: { path: '/metrics?format=prom' } }), /^test\/api: metrics.path \("\/metrics\?format=prom"\) must be an absolute HTTP path/],
  ['probe path with a space', () => api({ readinessProbe: { path: '/ready now' } }), /^test\/api: readinessProbe.path \("\/ready now"\) must be an absolute HTTP path/],
  ['probe option typo', () => api({ livenessProbe: { periodSecond: 5 } }), /^test\/api: livenessProbe.periodSecond \(5\) is not a prop; did you mean 'periodSeconds'\?/],
  ['ingress path relative', () => api({ ingress: { host: 'api.media-ai.com', path: 'v1' } }), /^test\/api: ingress.path \("v1"\) must be an absolute HTTP path/],
  ['ingress host with a scheme', () => api({ ingress: { host: 'https://api.media-ai.com' } }), /^test\/api: ingress.host \("https:\/\/api.media-ai.com"\) must be a fully qualified lower-case host name/],
  ['ingress host an IP address', () => api({ ingress: { host: '10.0.0.1' } }), /^test\/api: ingress.host \("10.0.0.1"\) must be a fully qualified lower-case host name/],
  ['ingress host with a trailing dot', () => api({ ingress: { host: 'api.media-ai.com.' } }), /^test\/api: ingress.host \("api.media-ai.com."\)/],
  ['ingress double wildcard', () => api({ ingress: { host: '*.*.media-ai.com' } }), /^test\/api: ingress.host \("\*.\*.media-ai.com"\)/],
  ['ingress wildcard inside', () => api({ ingress: { host: 'api.*.media-ai.com' } }), /^test\/api: ingress.host \("api.\*.media-ai.com"\)/],
  ['ingress host label over 63', () => api({ ingress: { host: `${r('a', 64)}.media-ai.com` } }), /^test\/api: ingress.host/],
  ['ingress without host', () => api({ ingress: {} }), /^test\/api: ingress.host \(missing\) must be a fully qualified/],
  ['metrics port 0', () => api({ metrics: { port: 0 } }), /^test\/api: metrics.port \(0\) must be an integer ≥ 1 and ≤ 65535/],
  ['port as a string', () => api({ port: '8080' }), /^test\/api: port \("8080"\) must be an integer/],
  ['service type typo', () => api({ service: { type: 'Loadbalancer' } }), /^test\/api: service.type \("Loadbalancer"\) must be 'ClusterIP', 'LoadBalancer' or 'NodePort'/],
  // --- ApiService: rollout arithmetic and numbers
  ['maxSurge 0 with the default maxUnavailable 0', () => api({ rollingUpdate: { maxSurge: 0 } }), /^test\/api: rollingUpdate.maxSurge \(0\) must be above 0 when rollingUpdate.maxUnavailable is 0/],
  ["maxSurge '0%' and maxUnavailable 0", () => api({ rollingUpdate: { maxSurge: '0%', maxUnavailable: 0 } }), /^test\/api: rollingUpdate.maxSurge \("0%"\) must be above 0/],
  ['minReadySeconds equal to the deadline', () => api({ rollingUpdate: { minReadySeconds: 600 } }), /^test\/api: rollingUpdate.minReadySeconds \(600\) must be less than rollingUpdate.progressDeadlineSeconds \(600\)/],
  ['minReadySeconds above a short deadline', () => api({ rollingUpdate: { progressDeadlineSeconds: 60, minReadySeconds: 120 } }), /^test\/api: rollingUpdate.minReadySeconds \(120\) must be less than rollingUpdate.progressDeadlineSeconds \(60\)/],
  ['maxUnavailable above 100 %', () => api({ rollingUpdate: { maxUnavailable: '150%' } }), /^test\/api: rollingUpdate.maxUnavailable \("150%"\) must be a non-negative integer or a percentage/],
  ['rollingUpdate typo', () => api({ rollingUpdate: { maxSurges: 1 } }), /^test\/api: rollingUpdate.maxSurges \(1\) is not a prop; did you mean 'maxSurge'\?/],
  ['replicas NaN', () => api({ replicas: NaN }), /^test\/api: replicas \(NaN\) must be an integer ≥ 1/],
  ['replicas Infinity', () => api({ replicas: Infinity }), /^test\/api: replicas \(Infinity\) must be an integer ≥ 1/],
  ['replicas as a string', () => api({ replicas: '3' }), /^test\/api: replicas \("3"\) must be an integer ≥ 1/],
  ['negative grace period', () => api({ terminationGracePeriodSeconds: -1 }), /^test\/api: terminationGracePeriodSeconds \(-1\) must be an integer ≥ 0/],
  ['HPA max below min', () => api({ autoscaling: { minReplicas: 10, maxReplicas: 5 } }), /^test\/api: autoscaling.maxReplicas \(5\) must be ≥ autoscaling.minReplicas \(10\)/],
  ['HPA typo', () => api({ autoscaling: { maxReplica: 5 } }), /^test\/api: autoscaling.maxReplica \(5\) is not a prop; did you mean 'maxReplicas'\?/],
  ['scale-up typo', () => api({ autoscaling: { scaleUp: { podPerPeriod: 2 } } }), /^test\/api: autoscaling.scaleUp.podPerPeriod \(2\) is not a prop; did you mean 'podsPerPeriod'\?/],
  ['PDB typo', () => api({ disruptionBudget: { minAvailble: 1 } }), /^test\/api: disruptionBudget.minAvailble \(1\) is not a prop; did you mean 'minAvailable'\?/],
  // --- ApiService: images
  ['image tagged latest', () => api({ image: 'registry.example.com/api:latest' }), /^test\/api: image \("registry.example.com\/api:latest"\) must be pinned/],
  ['image without a tag', () => api({ image: 'media-ai-api' }), /^test\/api: image \("media-ai-api"\) must be pinned/],
  ['image with upper-case repository', () => api({ image: 'registry.example.com/Media-AI/api:1.0' }), /^test\/api: image \("registry.example.com\/Media-AI\/api:1.0"\) must be an image reference/],
  ['image with a short digest', () => api({ image: 'api@sha256:abc123' }), /^test\/api: image \("api@sha256:abc123"\) must be an image reference/],
  ['image with an unknown digest algorithm', () => api({ image: `api@md5:${r('a', 32)}` }), /^test\/api: image .* must be an image reference/],
  ['image with a leading-dash tag', () => api({ image: 'api:-1.0' }), /^test\/api: image \("api:-1.0"\) must be an image reference/],
  ['image with a scheme', () => api({ image: 'https://registry.example.com/api:1.0' }), /^test\/api: image .* must be an image reference/],
  ['image with a double slash', () => api({ image: 'registry.example.com//api:1.0' }), /^test\/api: image .* must be an image reference/],
  ['image tag over 128 characters', () => api({ image: `api:${r('1', 129)}` }), /^test\/api: image .* must be an image reference/],
  ['image missing', () => apiRaw({ port: 8000 }), /^test\/api: image \(missing\) must be an image reference/],
  ['image a number', () => api({ image: 42 }), /^test\/api: image \(42\) must be an image reference/],
  // --- ApiService: credentials by value
  ['AWS key under an innocent name', () => env('S3_ID', AWS_KEY), /^test\/api: env.S3_ID \("<literal>"\) looks like a credential \(an AWS access key id\)/],
  ['AWS key under APP_CONFIG', () => env('APP_CONFIG', `region=eu-central-1 key=${AWS_KEY}`), /^test\/api: env.APP_CONFIG \("<literal>"\) looks like a credential \(an AWS access key id\)/],
  ['password under DB_PASS', () => env('DB_PASS', 'hunter2'), /^test\/api: env.DB_PASS \("<literal>"\) looks like a credential/],
  ['high-entropy DB_PASS', () => env('DB_PASS', 'Zq8#pLw2!xR7vB4m9'), /^test\/api: env.DB_PASS \("<literal>"\) looks like a credential \(a high-entropy secret\)/],
  ['libpq string with password', () => env('PG_DSN', 'host=db user=app password=s3cret dbname=media'), /^test\/api: env.PG_DSN \("<literal>"\) looks like a credential \(a password in a connection string\)/],
  ['JWT under SESSION', () => env('SESSION', JWT), /^test\/api: env.SESSION \("<literal>"\) looks like a credential \(a JSON Web Token\)/],
  ['PEM private key under TLS_MATERIAL', () => env('TLS_MATERIAL', PEM), /^test\/api: env.TLS_MATERIAL \("<literal>"\) looks like a credential \(a PEM private key\)/],
  ['URL with a slash in the password', () => env('DATABASE_URL', 'postgresql://app:s3cr/t@db.example.com:5432/media'), /^test\/api: env.DATABASE_URL \("<url with password>"\) contains a password in a URL/],
  ['Redis URL with password', () => env('CACHE', 'redis://:p4ss@redis:6379/0'), /^test\/api: env.CACHE \("<url with password>"\) contains a password in a URL/],
  ['AMQP URL with password', () => env('BROKER', 'amqp://guest:guest@rabbit:5672/'), /^test\/api: env.BROKER \("<url with password>"\)/],
  ['GitHub token', () => env('CI_HELPER', `ghp_${r('a', 36)}`), /^test\/api: env.CI_HELPER \("<literal>"\) looks like a credential \(a GitHub token\)/],
  ['--db-password= in args', () => api({ args: ['serve', '--db-password=hunter2'] }), /^test\/api: args\[1\] \("<literal>"\) carries a credential on the command line/],
  ['--password value pair in args', () => api({ args: ['--password', 'hunter2'] }), /^test\/api: args\[1\] \("<literal>"\) carries a credential on the command line/],
  ['URL with password in command', () => api({ command: ['migrate', 'postgresql://app:pw@db/media'] }), /^test\/api: command\[1\] \("<literal>"\) carries a credential/],
  ['args not a list', () => api({ args: '--port 8000' }), /^test\/api: args \("--port 8000"\) must be a list of strings/],
  ['notSecret cannot launder an AWS key', () => api({ env: { S3_ID: EnvValue.fromValue(AWS_KEY, { notSecret: 'test fixture' }) } }), /^test\/api: env.S3_ID \("<literal>"\) looks like a credential \(an AWS access key id\)/],
  ['notSecret without a reason', () => api({ env: { CACHE_KEY_PREFIX: EnvValue.fromValue('media:', { notSecret: '' }) } }), /^test\/api: env.CACHE_KEY_PREFIX \(""\) notSecret must say in words why/],
  ['KEY name without notSecret', () => env('CACHE_KEY_PREFIX', 'media:'), /^test\/api: env.CACHE_KEY_PREFIX \("<literal>"\) looks like a credential: .*notSecret/],
  ['env value not an EnvValue', () => api({ env: { LOG_LEVEL: 'info' } }), /^test\/api: env.LOG_LEVEL \("info"\) must be an EnvValue/],
  ['env name with a space', () => env('LOG LEVEL', 'info'), /^test\/api: env \("LOG LEVEL"\) names must start with a letter/],
  ['env name with =', () => env('A=B', 'info'), /^test\/api: env \("A=B"\) names must start/],
  // --- ApiService: JavaScript callers
  ['props undefined', () => new ApiService(appChart(), 'api', undefined as any), /^test\/api: props \(missing\) must be an object with the props image, /],
  ['props a string', () => new ApiService(appChart(), 'api', IMAGE as any), /^test\/api: props \("registry.example.com\/media-ai-api:1.4.2"\) must be an object/],
  ['replica instead of replicas', () => api({ replica: 3 }), /^test\/api: replica \(3\) is not a prop; did you mean 'replicas'\?/],
  ['images instead of image', () => apiRaw({ images: IMAGE }), /^test\/api: images \(.*\) is not a prop; did you mean 'image'\?/],
  ['snake_case prop', () => api({ min_ready_seconds: 5 }), /^test\/api: min_ready_seconds \(5\) is not a prop/],
  ['ingress typo', () => api({ ingress: { hostname: 'api.media-ai.com' } }), /^test\/api: ingress.hostname \(.*\) is not a prop; did you mean 'host'\?/],
  ['metrics typo', () => api({ metrics: { intervall: '30s' } }), /^test\/api: metrics.intervall \("30s"\) is not a prop; did you mean 'interval'\?/],
  ['network typo', () => api({ network: { allowFromAnyWhere: true } }), /^test\/api: network.allowFromAnyWhere \(true\) is not a prop; did you mean 'allowFromAnywhere'\?/],
  ['connect(undefined)', () => api({}).connect(undefined as any), /^test\/api: connect\(\) \(missing\) needs a store or an API to connect to/],
  ['connect(a plain object)', () => api({}).connect({ host: 'db' } as any), /^test\/api: connect\(\) \(\{"host":"db"\}\) needs a store/],
  ['tier.connect(undefined)', () => tier({}).connect(undefined as any), /^test\/data: connect\(\) \(missing\) needs a client with a connect\(\) method/],
  // --- Postgres
  ['Postgres name yields a 54-character CronJob name', () => backup({}, { postgres: { ...TIER_PROPS.postgres, name: `pg-${r('a', 37)}` } }),
    /^test\/backup: postgres.name \("pg-a{37}"\) is 40 characters; with the suffix '-restore-drill' the CronJob name would be 54, and CronJob names take at most 52 \(keep the name to 38\)/],
  ['Postgres name with a leading digit', () => postgres({ name: '1pg' }), /^test\/data\/postgres: name \("1pg"\) must be a DNS-1035 label/],
  ['Postgres name too long', () => postgres({ name: r('p', 51) }), /^test\/data\/postgres: name \("p{51}"\) must be a DNS-1035 label.*at most 50/],
  ['expected data size zero', () => postgres({ storage: { expectedDataSize: '0' } }), /^test\/data\/postgres: storage.expectedDataSize \("0"\) must be between 1Mi and 64Ti/],
  ['expected data size 1e21Gi', () => postgres({ storage: { expectedDataSize: '1e21Gi' } }), /^test\/data\/postgres: storage.expectedDataSize \("1e21Gi"\) must be a storage quantity/],
  ['expected data size 1e21', () => postgres({ storage: { expectedDataSize: '1e21' } }), /^test\/data\/postgres: storage.expectedDataSize \("1e21"\) must be between 1Mi and 64Ti/],
  ['expected data with a space', () => postgres({ storage: { expectedDataSize: '50 Gi' } }), /^test\/data\/postgres: storage.expectedDataSize \("50 Gi"\) must be a storage quantity/],
  ['explicit size with a space', () => postgres({ storage: { size: '100 Gi' } }), /^test\/data\/postgres: storage.size \("100 Gi"\) must be a storage quantity/],
  ['fractional bytes of storage', () => postgres({ storage: { expectedDataSize: '1.5' } }), /^test\/data\/postgres: storage.expectedDataSize \("1.5"\) must be a whole number of bytes/],
  ['expectedSize instead of expectedDataSize', () => postgres({ storage: { expectedSize: '50Gi' } }), /^test\/data\/postgres: storage.expectedSize \("50Gi"\) is not a prop; did you mean 'expectedDataSize'\?/],
  ['access mode ReadWriteMany', () => postgres({ storage: { accessMode: 'ReadWriteMany' } }), /^test\/data\/postgres: storage.accessMode \("ReadWriteMany"\) must be 'ReadWriteOnce' or 'ReadWriteOncePod'/],
  ['wal_level minimal with archiving', () => postgres({ settings: { wal_level: 'minimal' } }), /^test\/data\/postgres: settings.wal_level \("minimal"\) cannot be used with archive_mode=on/],
  ['wal_level minimal with WAL senders', () => postgres({ settings: { wal_level: 'minimal', archive_mode: 'off' } }), /^test\/data\/postgres: settings.wal_level \("minimal"\) cannot be used with max_wal_senders=10/],
  ['majorVersion 16 image must not float', () => postgres({ majorVersion: 16, image: 'postgres:16' }), /^test\/data\/postgres: image \("postgres:16"\) must be pinned to a minor release such as 'postgres:16.6'/],
  ['Postgres image of another major', () => postgres({ majorVersion: 16, image: 'postgres:15.10' }), /^test\/data\/postgres: image \("postgres:15.10"\) must be a PostgreSQL 16 image/],
  ['majorVersion as a string', () => postgres({ majorVersion: '16' }), /^test\/data\/postgres: majorVersion \("16"\) must be one of 13, 14, 15, 16/],
  ['Prometheus headroom without expected data (it would be ignored)', () => stack({ prometheus: { storage: { headroomPercent: 50 } } }), /^monitoring\/observability\/Prometheus: storage.headroomPercent \(50\) applies to expectedDataSize, which is not set: give expectedDataSize too, or size alone \(default 50Gi\)/],
  ['expected data whose volume with headroom exceeds 64Ti', () => postgres({ storage: { expectedDataSize: '50Ti' } }), /^test\/data\/postgres: storage.expectedDataSize \("50Ti"\) with 40 % headroom needs a 71680Gi volume, above the 64Ti a volume may have/],
  ['Secret key "." (the API server refuses it)', () => redis({ password: { name: 'redis', key: '.' } }), /^test\/data\/redis: password.key \("."\) must be a Secret key: at most 253 letters, digits, '-', '_' and '.', not '.' or '..' nor starting with '..'/],
  ['Secret key starting with ".."', () => redis({ password: { name: 'redis', key: '..data' } }), /^test\/data\/redis: password.key \("..data"\) must be a Secret key/],
  ['Secret key of 254 characters', () => redis({ password: { name: 'redis', key: r('k', 254) } }), /^test\/data\/redis: password.key \("k{254}"\) must be a Secret key/],
  ['credentials with one key for user and password', () => postgres({ credentials: { name: 'pg', usernameKey: 'secret', passwordKey: 'secret' } }), /^test\/data\/postgres: credentials.passwordKey \("secret"\) must differ from usernameKey/],
  ["application role sharing the superuser's password key", () => postgres({ credentials: { name: 'pg' }, appCredentials: { name: 'pg', usernameKey: 'app-user' } }), /^test\/data\/postgres: appCredentials .* must name the application role's own Secret \(or keys\), not the superuser's credentials \(no key may be shared\)/],
  ["backup role in the superuser's Secret (the Job would demote the superuser)", () => backup({ postgresBackupCredentials: { name: 'pg-credentials' } }), /^test\/backup: postgresBackupCredentials .* must be the backup role's own Secret \(or keys\): it shares a key with the superuser's credentials in Secret 'pg-credentials'/],
  ["backup role in the application role's Secret", () => backup({ postgresBackupCredentials: { name: 'pg-app' } }, { postgres: { ...TIER_PROPS.postgres, appCredentials: { name: 'pg-app' } } }), /^test\/backup: postgresBackupCredentials .* shares a key with the application role's credentials in Secret 'pg-app'/],
  ['Grafana admin user and password from one key', () => stack({ grafana: { adminUser: { name: 'g', key: 'k' }, adminPassword: { name: 'g', key: 'k' } } }), /^monitoring\/observability\/Grafana: adminPassword .* must be another key than adminUser/],
  ['Secret key reference with secretName', () => redis({ password: { secretName: 'redis', key: 'password' } }), /^test\/data\/redis: password.secretName \("redis"\) was renamed: write \{ name: '…' \}/],
  ['Postgres credentials with secretName, the old name', () => postgres({ credentials: { secretName: 'pg' } }), /^test\/data\/postgres: credentials.secretName \("pg"\) was renamed: write \{ name: '…' \}/],
  ['application role key with a space', () => postgres({ credentials: { name: 'pg' }, appCredentials: { name: 'pg-app', passwordKey: 'pass word' } }), /^test\/data\/postgres: appCredentials.passwordKey \("pass word"\) must be a Secret key/],
  ['backup role credentials typo', () => backup({ postgresBackupCredentials: { name: 'pg-backup', usernamekey: 'u' } as any }), /^test\/backup: postgresBackupCredentials.usernamekey \("u"\) is not a prop; did you mean 'usernameKey'\?/],
  ['Postgres credentials typo', () => postgres({ credentials: { name: 'pg', passwordkey: 'pw' } }), /^test\/data\/postgres: credentials.passwordkey \("pw"\) is not a prop; did you mean 'passwordKey'\?/],
  ['Postgres credentials as a literal', () => postgres({ credentials: 'postgres:hunter2' }), /^test\/data\/postgres: credentials \("postgres:hunter2"\) is required: \{ name \} of an existing Secret with username and password keys \(credentials never appear as literals\)/],
  ['Postgres props typo', () => postgres({ maxConnection: 300 }), /^test\/data\/postgres: maxConnection \(300\) is not a prop; did you mean 'maxConnections'\?/],
  ['Postgres memory limit with a space', () => postgres({ resources: { memoryLimit: '8 Gi' } }), /^test\/data\/postgres: resources.memoryLimit \("8 Gi"\) must be a memory quantity/],
  ['Postgres exporter image latest', () => postgres({ exporterImage: 'quay.io/prometheuscommunity/postgres-exporter:latest' }), /^test\/data\/postgres: exporterImage \("quay.io\/prometheuscommunity\/postgres-exporter:latest"\) must be pinned/],
  // --- Redis
  ["Redis maxmemory '1.3Gi' (fractional bytes)", () => redis({ maxmemory: '1.3Gi' }), /^test\/data\/redis: maxmemory \("1.3Gi"\) must be a positive whole number of bytes/],
  ["Redis maxmemory '0' (unlimited)", () => redis({ maxmemory: '0' }), /^test\/data\/redis: maxmemory \("0"\) must be a positive whole number of bytes.*0 would mean no limit/],
  ['Redis maxmemory in redis units', () => redis({ maxmemory: '1gb' }), /^test\/data\/redis: maxmemory \("1gb"\) must be a positive whole number of bytes/],
  ['Redis maxmemory negative', () => redis({ maxmemory: '-1Gi' }), /^test\/data\/redis: maxmemory \("-1Gi"\) must be a positive whole number/],
  ['Redis maxmemory leaves no room for the fork', () => redis({ maxmemory: '1800Mi' }), /^test\/data\/redis: maxmemory \("1800Mi"\) must leave room for the persistence fork \(copy-on-write\) and Redis's own buffers under resources.memoryLimit \(2Gi\): at most 1024Mi with persistence/],
  ['Redis maxmemory above 90 % without persistence', () => redis({ maxmemory: '1900Mi', persistence: 'none' }), /^test\/data\/redis: maxmemory \("1900Mi"\) must leave room for Redis's own buffers under resources.memoryLimit \(2Gi\): at most 1843Mi$/],
  ['Redis without persistence still needs buffers', () => redis({ maxmemory: '220Mi', persistence: 'none', resources: { memoryRequest: '256Mi', memoryLimit: '256Mi' } }),
    /^test\/data\/redis: maxmemory \("220Mi"\) must leave room for Redis's own buffers under resources.memoryLimit \(256Mi\): at most 192Mi/],
  ['Redis floating major tag', () => redis({ image: 'redis:7' }), /^test\/data\/redis: image \("redis:7"\) must be a Redis 7 image pinned to a patch release/],
  ['Redis eviction policy in capitals', () => redis({ maxmemoryPolicy: 'ALLKEYS-LRU' }), /^test\/data\/redis: maxmemoryPolicy \("ALLKEYS-LRU"\) must be one of/],
  ['Redis password as a literal', () => redis({ password: 'hunter2' }), /^test\/data\/redis: password \("hunter2"\) is required: a reference \{ name, key \}/],
  ['Redis password key with a space', () => redis({ password: { name: 'redis', key: 'pass word' } }), /^test\/data\/redis: password.key \("pass word"\) must be a Secret key/],
  ['Redis typo', () => redis({ maxMemory: '1Gi' }), /^test\/data\/redis: maxMemory \("1Gi"\) is not a prop; did you mean 'maxmemory'\?/],
  ['Redis storage too small for maxmemory', () => redis({ resources: { memoryRequest: '4Gi', memoryLimit: '8Gi' }, storage: { expectedDataSize: '1Gi' } }), /^test\/data\/redis: storage.size \("2Gi"\) must hold a snapshot of maxmemory/],
  // --- Milvus, etcd, MinIO
  ['Milvus root password in the ConfigMap', () => milvus({ config: { common: { security: { defaultRootPassword: 'Milvus123' } } } }), /^test\/data\/milvus: config.common.security.defaultRootPassword \("<literal>"\) looks like a credential \(a credential setting\)/],
  ['MinIO secret in Milvus config', () => milvus({ config: { minio: { secretAccessKey: 'minio123' } } }), /^test\/data\/milvus: config.minio.secretAccessKey \("<literal>"\) looks like a credential/],
  ['AWS key in Milvus config', () => milvus({ config: { extra: { id: AWS_KEY } } }), /^test\/data\/milvus: config.extra.id \("<literal>"\) looks like a credential \(an AWS access key id\)/],
  ['Milvus config not an object', () => milvus({ config: 'a: 1' }), /^test\/data\/milvus: config \("a: 1"\) must be an object/],
  ['Milvus name too long for its etcd', () => milvus({ name: r('m', 46) }), /^test\/data\/milvus: name \("m{46}"\) is 46 characters; with the suffix '-minio' the etcd\/MinIO store name would be 52/],
  ['Milvus typo', () => milvus({ buckett: 'b' }), /^test\/data\/milvus: buckett \("b"\) is not a prop; did you mean 'bucket'\?/],
  ['etcd typo', () => milvus({ etcd: { quotaBackendByte: '2Gi' } }), /^test\/data\/milvus: etcd.quotaBackendByte \("2Gi"\) is not a prop; did you mean 'quotaBackendBytes'\?/],
  ['MinIO typo', () => milvus({ minio: { storag: {} } }), /^test\/data\/milvus: minio.storag \(\{\}\) is not a prop; did you mean 'storage'\?/],
  ['etcd storage with a space', () => milvus({ etcd: { storage: { expectedDataSize: '4 Gi' } } }), /^test\/data\/milvus\/etcd: storage.expectedDataSize \("4 Gi"\) must be a storage quantity/],
  ['MinIO constructed with undefined props', () => new Minio(appChart(), 'minio', undefined as any), /^test\/minio: credentials.accessKey \(missing\) is required/],
  ['MinIO credentials missing', () => milvus({ minioCredentials: undefined }), /^test\/data\/milvus\/minio: credentials.accessKey \(missing\) is required/],
  ['Milvus memory in MB', () => milvus({ resources: { memoryLimit: '8MB' } }), /^test\/data\/milvus: resources.memoryLimit \("8MB"\) must be a memory quantity/],
  // --- DataTier
  ['DataTier props undefined', () => new DataTier(appChart(), 'data', undefined as any), /^test\/data: props \(missing\) must be an object/],
  ['DataTier without redis', () => tier({ redis: undefined }), /^test\/data: redis \(missing\) is required: the redis props/],
  ['DataTier typo', () => tier({ postgress: TIER_PROPS.postgres }), /^test\/data: postgress \(.*\) is not a prop; did you mean 'postgres'\?/],
  ['store-level monitoringNamespace inside the tier', () => tier({ postgres: { ...TIER_PROPS.postgres, monitoringNamespace: 'mon' } }), /^test\/data: postgres.monitoringNamespace \("mon"\) is set once for every store/],
  ['DataTier monitoring namespace with capitals', () => tier({ monitoringNamespace: 'Monitoring' }), /^test\/data\/postgres: monitoringNamespace \("Monitoring"\) must be a DNS-1123 label/],
  ['DataTier monitoring stack not a label value', () => tier({ monitoringStack: 'my stack' }), /^test\/data\/postgres: monitoringStack \("my stack"\) must be a label value/],
  ['DataTier priority class with underscore', () => tier({ priorityClassName: 'data_high' }), /^test\/data\/postgres: priorityClassName \("data_high"\) must be a DNS-1123 subdomain/],
  // --- ObservabilityStack
  ["Prometheus version 'latest'", () => stack({ prometheus: { version: 'latest' } }), /^monitoring\/observability\/Prometheus: version \("latest"\) must be a pinned release such as 'v2.53.0'/],
  ['Prometheus version without v', () => stack({ prometheus: { version: '2.53.0' } }), /^monitoring\/observability\/Prometheus: version \("2.53.0"\) must be a pinned release/],
  ['Prometheus bare major', () => stack({ prometheus: { version: 'v2' } }), /^monitoring\/observability\/Prometheus: version \("v2"\) must be a pinned release/],
  ["Prometheus retention '12h30d'", () => stack({ prometheus: { retention: '12h30d' } }), /^monitoring\/observability\/Prometheus: retention \("12h30d"\) must be a duration/],
  ['Prometheus retention in days with a space', () => stack({ prometheus: { retention: '15 d' } }), /^monitoring\/observability\/Prometheus: retention \("15 d"\) must be a duration/],
  ['Prometheus retention fractional', () => stack({ prometheus: { retention: '1.5d' } }), /^monitoring\/observability\/Prometheus: retention \("1.5d"\) must be a duration/],
  ['Prometheus storage with a space', () => stack({ prometheus: { storage: { size: '50 Gi' } } }), /^monitoring\/observability\/Prometheus: storage.size \("50 Gi"\) must be a storage quantity/],
  ['Prometheus storageSize, the old name', () => stack({ prometheus: { storageSize: '50Gi' } }), /^monitoring\/observability: prometheus.storageSize \("50Gi"\) was renamed: write storage: \{ size: '…' \}/],
  ['Prometheus storageClassName, the old place', () => stack({ prometheus: { storageClassName: 'fast' } }), /^monitoring\/observability: prometheus.storageClassName \("fast"\) was renamed: write storage: \{ storageClassName: '…' \}/],
  ['Prometheus typo', () => stack({ prometheus: { retentionTime: '15d' } }), /^monitoring\/observability: prometheus.retentionTime \("15d"\) is not a prop; did you mean 'retention'\?/],
  ['Alertmanager version latest', () => stack({ alerting: { version: 'latest' } }), /^monitoring\/observability\/Alertmanager: version \("latest"\) must be a pinned release such as 'v0.27.0'/],
  ["groupBy 'alert name'", () => stack({ alerting: { groupBy: ['alert name'] } }), /^monitoring\/observability\/Alertmanager: groupBy\[0\] \("alert name"\) must be a Prometheus label name/],
  ['groupBy with a dash', () => stack({ alerting: { groupBy: ['alertname', 'k8s-namespace'] } }), /^monitoring\/observability\/Alertmanager: groupBy\[1\] \("k8s-namespace"\) must be a Prometheus label name/],
  ['groupBy empty', () => stack({ alerting: { groupBy: [] } }), /^monitoring\/observability\/Alertmanager: groupBy \(\[\]\) must be a non-empty list of label names/],
  ['groupBy a string', () => stack({ alerting: { groupBy: 'alertname' } }), /^monitoring\/observability\/Alertmanager: groupBy \("alertname"\) must be a non-empty list/],
  ['Alertmanager storage with a space', () => stack({ alerting: { storage: { size: '2 Gi' } } }), /^monitoring\/observability\/Alertmanager: storage.size \("2 Gi"\) must be a storage quantity/],
  ['node-exporter port below 1024 (non-root on the host network)', () => stack({ nodeExporter: { port: 80 } }), /^monitoring\/observability\/NodeExporter: port \(80\) must be an integer ≥ 1024 and ≤ 65535/],
  ['node-exporter option misspelled', () => stack({ nodeExporter: { prot: 9101 } }), /^monitoring\/observability: nodeExporter.prot \(9101\) is not a prop; did you mean 'port'\?/],
  ['Alertmanager storage with an unknown option', () => stack({ alerting: { storage: { sizes: '2Gi' } } }), /^monitoring\/observability\/Alertmanager: storage.sizes \("2Gi"\) is not a prop; did you mean 'size'\?/],
  ['Alertmanager typo', () => stack({ alerting: { reciever: {} } }), /^monitoring\/observability: alerting.reciever \(\{\}\) is not a prop; did you mean 'receivers'\?/],
  ['receiver priority typo', () => stack({ alerting: { receivers: { p0: {} } } }), /^monitoring\/observability\/Alertmanager: receivers.p0 \(\{\}\) is not a prop; did you mean 'P0'\?/],
  ['receiver kind typo', () => stack({ alerting: { receivers: { P1: { pagerDuty: {} } } } }), /^monitoring\/observability\/Alertmanager: receivers.P1.pagerDuty \(\{\}\) is not a prop; did you mean 'pagerduty'\?/],
  ['Slack receiver typo', () => stack({ alerting: { receivers: { P2: { slack: { apiURL: { name: 's', key: 'u' }, channel: '#a' } } } } }), /^monitoring\/observability\/Alertmanager: receivers.P2.slack.apiURL \(.*\) is not a prop; did you mean 'apiUrl'\?/],
  ['webhook URL without a host', () => stack({ alerting: { receivers: { P2: { webhook: { url: 'https:///hook' } } } } }), /^monitoring\/observability\/Alertmanager: receivers.P2.webhook.url \("https:\/\/\/hook"\) must be an http\(s\) URL without credentials/],
  ['Grafana storage with a space', () => stack({ grafana: { ...GRAFANA, storage: { size: '10 Gi' } } }), /^monitoring\/observability\/Grafana: storage.size \("10 Gi"\) must be a storage quantity/],
  ['Grafana persistentStorageSize, the old name', () => stack({ grafana: { ...GRAFANA, persistentStorageSize: '10Gi' } }), /^monitoring\/observability: grafana.persistentStorageSize \("10Gi"\) was renamed: write storage: \{ size: '…' \} \(Grafana keeps a volume/],
  ['Grafana missing', () => new ObservabilityStack(monitoringChart(), 'observability', { logging: false } as any), /^monitoring\/observability: grafana \(missing\) must be an object with the props adminUser/],
  ['agents namespace equal to the monitoring namespace', () => stack({ agentsNamespace: 'monitoring' }), /^monitoring\/observability: agentsNamespace \("monitoring"\) must differ from the stack's namespace \(monitoring\)/],
  ['ingress controller namespace with capitals', () => stack({ ingressControllerNamespace: 'Ingress' }), /^monitoring\/observability: ingressControllerNamespace \("Ingress"\) must be a DNS-1123 label/],
  ['stack props undefined', () => new ObservabilityStack(monitoringChart(), 'observability', undefined as any), /^monitoring\/observability: props \(missing\) must be an object/],
  ['stack typo', () => stack({ tracin: true }), /^monitoring\/observability: tracin \(true\) is not a prop; did you mean 'tracing'\?/],
  // --- monitor()
  ['monitor(undefined)', () => stack({}).monitor(undefined as any), /^monitoring\/observability: monitor\(\) \(missing\) needs an ApiService, a store, a DataTier or another IMonitorable/],
  ['monitor(a plain object)', () => stack({}).monitor({ name: 'api' } as any), /^monitoring\/observability: monitor\(\) \(\{"name":"api"\}\) needs an ApiService, a store, a DataTier or another IMonitorable/],
  ['metric name with dashes', () => monitor({}, { slo: { requestsMetric: 'http-requests-total' } }), /^monitoring\/observability: slo.requestsMetric \("http-requests-total"\) must be a Prometheus metric name/],
  ['histogram name with a dot', () => monitor({}, { slo: { latencyHistogram: 'http.duration' } }), /^monitoring\/observability: slo.latencyHistogram \("http.duration"\) must be a Prometheus metric name/],
  ['error matcher without quotes', () => monitor({}, { slo: { errorMatcher: 'status=~5..' } }), /^monitoring\/observability: slo.errorMatcher \("status=~5.."\) must be PromQL label matchers/],
  ['error matcher with a broken regex', () => monitor({}, { slo: { errorMatcher: 'status=~"5(.."' } }), /^monitoring\/observability: slo.errorMatcher .* must be PromQL label matchers/],
  ['latency threshold Infinity', () => monitor({}, { slo: { latencyThresholdSeconds: Infinity } }), /^monitoring\/observability: slo.latencyThresholdSeconds \(Infinity\) must be a finite number > 0 and ≤ 3600 seconds/],
  ['latency threshold 0', () => monitor({}, { slo: { latencyThresholdSeconds: 0 } }), /^monitoring\/observability: slo.latencyThresholdSeconds \(0\) must be a finite number > 0/],
  ['latency threshold as a string', () => monitor({}, { slo: { latencyThresholdSeconds: '0.5' } }), /^monitoring\/observability: slo.latencyThresholdSeconds \("0.5"\) must be a finite number/],
  ['availability 100 %', () => monitor({}, { slo: { availabilityPercent: 100 } }), /^monitoring\/observability: slo.availabilityPercent \(100\) must be a percentage between 90 and 99.999/],
  ['SLO typo', () => monitor({}, { slo: { availability: 99.9 } }), /^monitoring\/observability: slo.availability \(99.9\) is not a prop; did you mean 'availabilityPercent'\?/],
  ['probe path without a leading slash', () => monitor({ ingress: { host: 'api.media-ai.com' } }, { probePath: 'health' }), /^monitoring\/observability: probePath \("health"\) must be an absolute HTTP path/],
  ['wildcard host probed as is', () => monitor({ ingress: { host: '*.media-ai.com' } }, {}), /^monitoring\/observability: probeHost \(missing\) is required for a wildcard Ingress host \(\*.media-ai.com\)/],
  ['probe host outside the wildcard', () => monitor({ ingress: { host: '*.media-ai.com' } }, { probeHost: 'api.example.com' }), /^monitoring\/observability: probeHost \("api.example.com"\) must be a name the Ingress serves \(\*.media-ai.com\)/],
  ['probe host itself a wildcard', () => monitor({ ingress: { host: '*.media-ai.com' } }, { probeHost: '*.media-ai.com' }), /^monitoring\/observability: probeHost \("\*.media-ai.com"\) must be a fully qualified lower-case host name such as 'api.media-ai.com'$/],
  ['monitor option typo', () => monitor({}, { probepath: '/health' }), /^monitoring\/observability: monitor\(\) options.probepath \("\/health"\) is not a prop; did you mean 'probePath'\?/],
  // --- BackupPolicy
  ['destination endpoint without scheme', () => destination({ endpoint: 's3.example.com' }), /^test\/backup: destination.endpoint \("s3.example.com"\) must be an http\(s\) URL/],
  ['destination endpoint with credentials', () => destination({ endpoint: 'https://key:secret@s3.example.com' }), /^test\/backup: destination.endpoint \("<url with credentials>"\) must not contain credentials/],
  ['destination endpoint with a path', () => destination({ endpoint: 'https://s3.example.com/media-ai-backups' }), /^test\/backup: destination.endpoint .* must be the S3 endpoint without a path|must be an http/],
  ['destination endpoint with port 0', () => destination({ endpoint: 'https://s3.example.com:0' }), /^test\/backup: destination.endpoint \("https:\/\/s3.example.com:0"\) must be an http\(s\) URL/],
  ['egress CIDR with host bits', () => destination({ egressCidr: '10.1.2.3/8' }), /^test\/backup: destination.egressCidr \("10.1.2.3\/8"\) has host bits set after the prefix/],
  ['egress CIDR without prefix', () => destination({ egressCidr: '10.0.0.0' }), /^test\/backup: destination.egressCidr \("10.0.0.0"\) must be an address and a prefix length/],
  ['egress CIDR prefix 33', () => destination({ egressCidr: '10.0.0.0/33' }), /^test\/backup: destination.egressCidr \("10.0.0.0\/33"\) has an IPv4 prefix length above 32/],
  ['destination typo', () => destination({ acessKeyId: { name: 's3', key: 'id' } }), /^test\/backup: destination.acessKeyId \(.*\) is not a prop; did you mean 'accessKeyId'\?/],
  ["schedule '61 * * * *'", () => backup({ schedules: { postgresWal: '61 * * * *' } }), /^test\/backup\/postgres-wal-backup: schedules.postgresWal \("61 \* \* \* \*"\) must be a 5-field cron expression .*minute 61 is outside 0-59/],
  ["schedule '0 6 * * 7'", () => backup({ schedules: { restoreDrill: '0 6 * * 7' } }), /^test\/backup\/postgres-restore-drill: schedules.restoreDrill \("0 6 \* \* 7"\) .*day of week 7 is outside 0-6/],
  ['schedule hour 24', () => backup({ schedules: { redis: '0 24 * * *' } }), /^test\/backup\/redis-backup: schedules.redis \("0 24 \* \* \*"\) .*hour 24 is outside 0-23/],
  ['schedule with TZ=', () => backup({ schedules: { milvus: 'TZ=UTC 0 3 * * *' } }), /^test\/backup\/milvus-backup: schedules.milvus .*must not carry TZ=/],
  ['schedule step 0', () => backup({ schedules: { objects: '*/0 4 * * *' } }), /^test\/backup\/milvus-minio-mirror: schedules.objects .*step '0' must be a positive integer/],
  ['schedule backwards range', () => backup({ schedules: { postgresDump: '30 5-2 * * *' } }), /^test\/backup\/postgres-dump: schedules.postgresDump .*range 5-2 runs backwards/],
  ['schedule unknown descriptor', () => backup({ schedules: { postgresFull: '@nightly' } }), /^test\/backup\/postgres-base-backup: schedules.postgresFull \("@nightly"\) .*unknown descriptor/],
  ['schedule month 13', () => backup({ schedules: { restoreDrill: '0 6 1 13 *' } }), /^test\/backup\/postgres-restore-drill: schedules.restoreDrill .*month 13 is outside 1-12/],
  ['schedules typo', () => backup({ schedules: { postgresWAL: '5 * * * *' } }), /^test\/backup: schedules.postgresWAL \(.*\) is not a prop; did you mean 'postgresWal'\?/],
  ['retention typo', () => backup({ retention: { weekley: 4 } }), /^test\/backup: retention.weekley \(4\) is not a prop; did you mean 'weekly'\?/],
  ['postgres given as props, not a construct', () => backup({ postgres: TIER_PROPS.postgres }), /^test\/backup: postgres \("object"\) must be a store that can be backed up \(IBackupSource\)/],
  ['Redis name too long for its backup CronJob', () => backup({}, { redis: { ...TIER_PROPS.redis, name: `r${r('e', 45)}` } }), /^test\/backup: redis.name \("re{45}"\) is 46 characters; with the suffix '-backup' the CronJob name would be 53/],
  ['BackupPolicy props undefined', () => new BackupPolicy(appChart(), 'backup', undefined as any), /^test\/backup: props \(missing\) must be an object with the props destination, /],
  ['rclone image latest', () => backup({ rcloneImage: 'rclone/rclone:latest' }), /^test\/backup: rcloneImage \("rclone\/rclone:latest"\) must be pinned/],
  // --- PlatformNamespace and MediaAiPlatform
  ["PlatformNamespace('kube-system')", () => namespace('kube-system'), /^namespaces\/kube-system: name \("kube-system"\) must not be 'default' or a kube-\* namespace/],
  ["PlatformNamespace('default')", () => namespace('default'), /^namespaces\/default: name \("default"\) must not be 'default'/],
  ['PlatformNamespace kube-public by name', () => namespace('ns', { name: 'kube-public' }), /^namespaces\/ns: name \("kube-public"\) must not be/],
  ['namespace Media-AI', () => namespace('Media-AI'), /^namespaces\/Media-AI: name \("Media-AI"\) must be a DNS-1123 label/],
  ['Pod Security level typo', () => namespace('media-ai', { podSecurity: 'restricted-v2' }), /^namespaces\/media-ai: podSecurity \("restricted-v2"\) must be 'restricted', 'baseline' or 'privileged'/],
  ['namespace props typo', () => namespace('media-ai', { podSecurityLevel: 'baseline' }), /^namespaces\/media-ai: podSecurityLevel \("baseline"\) is not a prop; did you mean 'podSecurity'\?/],
  ['platform namespace equals monitoring', () => platform({ namespace: 'monitoring' }), /^media-ai-namespaces: namespace \("monitoring"\) must differ from monitoringNamespace \(monitoring\)/],
  ['platform namespace kube-system', () => platform({ namespace: 'kube-system' }), /^media-ai-namespaces\/kube-system: name \("kube-system"\) must not be/],
  ['platform API image latest', () => platform({ apiImage: 'registry.example.com/media-ai-api:latest' }), /^media-ai\/media-ai-api: image .* must be pinned/],
  ['platform API host with capitals', () => platform({ apiHost: 'API.media-ai.com' }), /^media-ai\/media-ai-api: ingress.host \("API.media-ai.com"\)/],
  ['platform typo', () => platform({ monitoringNamepace: 'mon' }), /^media-ai-namespaces: monitoringNamepace \("mon"\) is not a prop; did you mean 'monitoringNamespace'\?/],
  // --- App-level uniqueness
  ['two APIs with the same name', () => {
    const app = Testing.app();
    const chart = appChart(app);
    new ApiService(chart, 'search', { image: IMAGE, name: 'api' });
    new ApiService(chart, 'recommend', { image: IMAGE, name: 'api' });
    synthesizeAtomically(app);
  }, /^test\/recommend\/ServiceAccount: name \("api"\) is already used by another ServiceAccount in namespace media-ai \(test\/search\/ServiceAccount\)/],
  ['two charts, one namespace, same store name', () => {
    const app = Testing.app();
    new DataTier(appChart(app), 'data', TIER_PROPS);
    new DataTier(new Chart(app, 'other', { namespace: 'media-ai' }), 'data', TIER_PROPS);
    synthesizeAtomically(app);
  }, /^other\/data\/postgres\/ServiceAccount: name \("postgres"\) is already used by another ServiceAccount in namespace media-ai \(test\/data\/postgres\/ServiceAccount\)/],
  // Two stacks in two namespaces coexist (cluster-scoped names carry the namespace: test/composition);
  // two in one namespace collide, and say so.
  ['two stacks of one name in two namespaces', () => {
    const app = Testing.app();
    new ObservabilityStack(monitoringChart(app), 'observability', { grafana: GRAFANA, logging: false });
    new ObservabilityStack(new Chart(app, 'team', { namespace: 'team-mon' }), 'observability', { grafana: GRAFANA, logging: false, agentsNamespace: 'team-agents', nodeExporter: false });
  }, /^team\/observability: stack \("platform"\) is already the name of the stack monitoring\/observability: both Prometheus would select each other's monitors and rules/],
  ["a stack's agents in another stack's (restricted) namespace", () => {
    const app = Testing.app();
    new ObservabilityStack(monitoringChart(app), 'observability', { grafana: GRAFANA, logging: false });
    new ObservabilityStack(new Chart(app, 'team', { namespace: 'team-mon' }), 'observability', { grafana: GRAFANA, logging: false, stack: 'team', agentsNamespace: 'monitoring', nodeExporter: false });
  }, /^team\/observability: agentsNamespace \("monitoring"\) is the namespace of the stack monitoring\/observability, which enforces Pod Security 'restricted'/],
  ['two stacks in one namespace', () => {
    const app = Testing.app();
    new ObservabilityStack(monitoringChart(app), 'observability', { grafana: GRAFANA, logging: false });
    new ObservabilityStack(new Chart(app, 'monitoring2', { namespace: 'monitoring' }), 'observability', { grafana: GRAFANA, logging: false, stack: 'second', agentsNamespace: 'agents2', nodeExporter: false });
    synthesizeAtomically(app);
  }, /^monitoring2\/observability\/.*: name \(".*"\) is already used by another \w+ (in namespace monitoring )?\(monitoring\/observability\//],
];

describe('bad input fails at synth with the construct path, the prop and what is accepted', () => {
  test.each(cases)('%s', (_title, build, message) => {
    let error: unknown;
    try {
      build();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PropValidationError);
    expect((error as Error).message).toMatch(message);
  });

  test('the table holds at least 150 distinct mistakes', () => {
    expect(new Set(cases.map(([title]) => title)).size).toBe(cases.length);
    expect(cases.length).toBeGreaterThanOrEqual(150);
  });
});

/**
 * Findings still open, each a real defect that the library fixes of issue #8 have not landed yet
 * (see `why`). The platform test asserts this exact list, so a NEW finding fails it, and so does a
 * fixed one: then delete its entry. Regenerate the lines from the test's diff, never by loosening
 * the harness.
 */
export interface KnownFinding {
  /** `[check] object: message` as the harness prints it. */
  readonly finding: string;
  /** Why it is still open, and which issue item fixes it. */
  readonly why: string;
}

/** The reference platform (MediaAiPlatform). */
export const KNOWN_FINDINGS: readonly KnownFinding[] = [
  {
    finding: "[references] Ingress media-ai/media-ai-api: ingressClassName: IngressClass nginx does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite: the ingress controller IngressClass, not yet in the library PREREQUISITES",
  },
  {
    finding: "[references] Ingress media-ai/media-ai-api: tls.secretName: Secret media-ai/media-ai-api-tls does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] Alertmanager monitoring/alertmanager: spec.secrets: Secret monitoring/alertmanager-receivers does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] Elasticsearch monitoring/logs: auth.fileRealm: Secret monitoring/es-user-ilm-setup does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] Elasticsearch monitoring/logs: auth.fileRealm: Secret monitoring/es-user-jaeger does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] Elasticsearch monitoring/logs: auth.fileRealm: Secret monitoring/es-user-grafana does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] Deployment media-ai/media-ai-api: container api env DB_USER: Secret media-ai/media-ai-postgres-app does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] Deployment media-ai/media-ai-api: container api env DB_PASSWORD: Secret media-ai/media-ai-postgres-app does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] Deployment media-ai/media-ai-api: container api env REDIS_PASSWORD: Secret media-ai/media-ai-redis does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] StatefulSet media-ai/postgres: container postgres env POSTGRES_USER: Secret media-ai/media-ai-postgres does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] StatefulSet media-ai/postgres: container postgres env POSTGRES_PASSWORD: Secret media-ai/media-ai-postgres does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] StatefulSet media-ai/postgres: container exporter env DATA_SOURCE_USER: Secret media-ai/media-ai-postgres does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] StatefulSet media-ai/postgres: container exporter env DATA_SOURCE_PASS: Secret media-ai/media-ai-postgres does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] Job media-ai/postgres-app-role: container app-role env PGUSER: Secret media-ai/media-ai-postgres does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] Job media-ai/postgres-app-role: container app-role env PGPASSWORD: Secret media-ai/media-ai-postgres does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] Job media-ai/postgres-app-role: container app-role env APP_USER: Secret media-ai/media-ai-postgres-app does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] Job media-ai/postgres-app-role: container app-role env APP_PASSWORD: Secret media-ai/media-ai-postgres-app does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] StatefulSet media-ai/redis: container write-auth env REDIS_PASSWORD: Secret media-ai/media-ai-redis does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] StatefulSet media-ai/redis: container redis env REDISCLI_AUTH: Secret media-ai/media-ai-redis does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] StatefulSet media-ai/redis: container exporter env REDIS_PASSWORD: Secret media-ai/media-ai-redis does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] StatefulSet media-ai/milvus-minio: container minio env MINIO_ROOT_USER: Secret media-ai/media-ai-minio does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] StatefulSet media-ai/milvus-minio: container minio env MINIO_ROOT_PASSWORD: Secret media-ai/media-ai-minio does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] StatefulSet media-ai/milvus: container render-config env MINIO_ACCESS_KEY: Secret media-ai/media-ai-minio does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] StatefulSet media-ai/milvus: container render-config env MINIO_SECRET_KEY: Secret media-ai/media-ai-minio does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] CronJob media-ai/postgres-base-backup: container base-backup env PGUSER: Secret media-ai/media-ai-postgres does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] CronJob media-ai/postgres-base-backup: container base-backup env PGPASSWORD: Secret media-ai/media-ai-postgres does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] CronJob media-ai/postgres-base-backup: container ship env RCLONE_CONFIG_DEST_ACCESS_KEY_ID: Secret media-ai/media-ai-backup-s3 does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] CronJob media-ai/postgres-base-backup: container ship env RCLONE_CONFIG_DEST_SECRET_ACCESS_KEY: Secret media-ai/media-ai-backup-s3 does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] CronJob media-ai/postgres-wal-backup: container wal-archive env PGUSER: Secret media-ai/media-ai-postgres does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] CronJob media-ai/postgres-wal-backup: container wal-archive env PGPASSWORD: Secret media-ai/media-ai-postgres does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] CronJob media-ai/postgres-wal-backup: container ship env RCLONE_CONFIG_DEST_ACCESS_KEY_ID: Secret media-ai/media-ai-backup-s3 does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] CronJob media-ai/postgres-wal-backup: container ship env RCLONE_CONFIG_DEST_SECRET_ACCESS_KEY: Secret media-ai/media-ai-backup-s3 does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] CronJob media-ai/postgres-dump: container dump env PGUSER: Secret media-ai/media-ai-postgres does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] CronJob media-ai/postgres-dump: container dump env PGPASSWORD: Secret media-ai/media-ai-postgres does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] CronJob media-ai/postgres-dump: container ship env RCLONE_CONFIG_DEST_ACCESS_KEY_ID: Secret media-ai/media-ai-backup-s3 does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] CronJob media-ai/postgres-dump: container ship env RCLONE_CONFIG_DEST_SECRET_ACCESS_KEY: Secret media-ai/media-ai-backup-s3 does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] CronJob media-ai/postgres-restore-drill: container fetch env RCLONE_CONFIG_DEST_ACCESS_KEY_ID: Secret media-ai/media-ai-backup-s3 does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] CronJob media-ai/postgres-restore-drill: container fetch env RCLONE_CONFIG_DEST_SECRET_ACCESS_KEY: Secret media-ai/media-ai-backup-s3 does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] CronJob media-ai/postgres-restore-drill: container restore-drill env PGUSER: Secret media-ai/media-ai-postgres does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] CronJob media-ai/postgres-restore-drill: container record env RCLONE_CONFIG_DEST_ACCESS_KEY_ID: Secret media-ai/media-ai-backup-s3 does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] CronJob media-ai/postgres-restore-drill: container record env RCLONE_CONFIG_DEST_SECRET_ACCESS_KEY: Secret media-ai/media-ai-backup-s3 does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] CronJob media-ai/redis-backup: container snapshot env REDISCLI_AUTH: Secret media-ai/media-ai-redis does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] CronJob media-ai/redis-backup: container ship env RCLONE_CONFIG_DEST_ACCESS_KEY_ID: Secret media-ai/media-ai-backup-s3 does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] CronJob media-ai/redis-backup: container ship env RCLONE_CONFIG_DEST_SECRET_ACCESS_KEY: Secret media-ai/media-ai-backup-s3 does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] CronJob media-ai/milvus-minio-mirror: container mirror env RCLONE_CONFIG_DEST_ACCESS_KEY_ID: Secret media-ai/media-ai-backup-s3 does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] CronJob media-ai/milvus-minio-mirror: container mirror env RCLONE_CONFIG_DEST_SECRET_ACCESS_KEY: Secret media-ai/media-ai-backup-s3 does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] CronJob media-ai/milvus-minio-mirror: container mirror env RCLONE_CONFIG_MINIO_ACCESS_KEY_ID: Secret media-ai/media-ai-minio does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] CronJob media-ai/milvus-minio-mirror: container mirror env RCLONE_CONFIG_MINIO_SECRET_ACCESS_KEY: Secret media-ai/media-ai-minio does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] CronJob media-ai/milvus-backup: container render-config env MINIO_ACCESS_KEY: Secret media-ai/media-ai-minio does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] CronJob media-ai/milvus-backup: container render-config env MINIO_SECRET_KEY: Secret media-ai/media-ai-minio does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] Job media-ai/config-backup-<hash>: container ship env RCLONE_CONFIG_DEST_ACCESS_KEY_ID: Secret media-ai/media-ai-backup-s3 does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] Job media-ai/config-backup-<hash>: container ship env RCLONE_CONFIG_DEST_SECRET_ACCESS_KEY: Secret media-ai/media-ai-backup-s3 does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] Deployment monitoring/grafana: container grafana env GF_SECURITY_ADMIN_USER: Secret monitoring/grafana-admin does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] Deployment monitoring/grafana: container grafana env GF_SECURITY_ADMIN_PASSWORD: Secret monitoring/grafana-admin does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] Deployment monitoring/grafana: container grafana env DS_LOGS_USERNAME: Secret monitoring/es-user-grafana does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] Deployment monitoring/grafana: container grafana env DS_LOGS_PASSWORD: Secret monitoring/es-user-grafana does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] Job monitoring/es-ilm-setup-14d: container setup env ES_USERNAME: Secret monitoring/es-user-ilm-setup does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] Job monitoring/es-ilm-setup-14d: container setup env ES_PASSWORD: Secret monitoring/es-user-ilm-setup does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] Deployment monitoring/jaeger: container jaeger env ES_USERNAME: Secret monitoring/es-user-jaeger does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] Deployment monitoring/jaeger: container jaeger env ES_PASSWORD: Secret monitoring/es-user-jaeger does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] CronJob monitoring/jaeger-index-cleaner: container index-cleaner env ES_USERNAME: Secret monitoring/es-user-jaeger does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] CronJob monitoring/jaeger-index-cleaner: container index-cleaner env ES_PASSWORD: Secret monitoring/es-user-jaeger does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite Secret, not yet in the library PREREQUISITES (issue #8 minor: prerequisites documented nowhere)",
  },
  {
    finding: "[references] ServiceMonitor monitoring/kubelet: selects no Service (namespaces kube-system, selector {\"matchLabels\":{\"app.kubernetes.io/name\":\"kubelet\"}})",
    why: "prerequisite: Service kube-system/kubelet kept by the Prometheus Operator (--kubelet-service), not yet in the library PREREQUISITES",
  },
  {
    finding: "[admission] Kibana monitoring/kibana: Pod Security \"restricted\" of namespace monitoring rejects the pod: allowPrivilegeEscalation != false (containers elastic-internal-init-config)",
    why: "issue #8 item 2: ECK adds elastic-internal-init-config with only privileged: false; the Kibana podTemplate does not harden it",
  },
  {
    finding: "[admission] Kibana monitoring/kibana: Pod Security \"restricted\" of namespace monitoring rejects the pod: capabilities.drop does not include ALL (containers elastic-internal-init-config)",
    why: "issue #8 item 2: ECK adds elastic-internal-init-config with only privileged: false; the Kibana podTemplate does not harden it",
  },
  {
    finding: "[size] ConfigMap media-ai/config-backup-<hash>: client-side kubectl apply would write <n> bytes of annotations (last-applied-configuration), over the 262144-byte limit",
    why: "issue #8 item 6: the config-backup ConfigMap is over the 256 KiB last-applied-configuration limit of a client-side apply",
  },
];

/** What the search-team example adds on top of the platform. */
export const KNOWN_EXAMPLE_FINDINGS: readonly KnownFinding[] = [
  {
    finding: "[references] Ingress search/search-api: ingressClassName: IngressClass nginx does not exist (not in the output, not made by an operator, not a prerequisite)",
    why: "prerequisite: the ingress controller IngressClass, not yet in the library PREREQUISITES",
  },
];

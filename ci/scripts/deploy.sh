#!/bin/sh
# Applies synthesized manifests to the cluster and watches the release: server-side apply with
# pruning of the objects the app no longer renders, then waits for every Deployment (rolling
# delivery) and Argo Rollouts Rollout (blueGreen/canary). When one does not become healthy in
# time it rolls back (`kubectl rollout undo` / `kubectl argo rollouts abort`) and exits non-zero.
#
# usage: deploy.sh <manifest-dir>
# env:   PRUNE_SELECTOR  label selector of the objects this pipeline owns (default app.kubernetes.io/part-of=media-ai)
#        ROLLOUT_TIMEOUT how long to wait per workload (default 15m)
#        FIELD_MANAGER   server-side apply field manager (default media-ai-ci)
#        KUBECTL         kubectl binary (default kubectl)
#        ALLOW_PAUSED    true: a Rollout still paused at the timeout (manual promotion) is left for a
#                        person to promote instead of being aborted (default false)
set -eu

dir=${1:?usage: deploy.sh <manifest-dir>}
selector=${PRUNE_SELECTOR:-app.kubernetes.io/part-of=media-ai}
timeout=${ROLLOUT_TIMEOUT:-15m}
manager=${FIELD_MANAGER:-media-ai-ci}
kubectl=${KUBECTL:-kubectl}
# Kinds pruned when they disappear from the manifests (--prune-allowlist replaces kubectl's default list,
# which does not know the custom resources).
prune_kinds="core/v1/ConfigMap core/v1/Secret core/v1/Service core/v1/ServiceAccount apps/v1/Deployment apps/v1/StatefulSet
apps/v1/DaemonSet batch/v1/CronJob networking.k8s.io/v1/Ingress networking.k8s.io/v1/NetworkPolicy policy/v1/PodDisruptionBudget
autoscaling/v2/HorizontalPodAutoscaler argoproj.io/v1alpha1/Rollout argoproj.io/v1alpha1/AnalysisTemplate
monitoring.coreos.com/v1/ServiceMonitor monitoring.coreos.com/v1/PodMonitor monitoring.coreos.com/v1/Probe monitoring.coreos.com/v1/PrometheusRule"

[ -d "$dir" ] || { echo "deploy: $dir is not a directory" >&2; exit 2; }

# "<kind> <namespace> <name>" of every object in the manifests (client-side, nothing is sent).
objects=$($kubectl create --dry-run=client -f "$dir" -o jsonpath='{.kind} {.metadata.namespace} {.metadata.name}{"\n"}')

# Handing a service back from a Rollout to its Deployment (delivery: rolling again): Argo Rollouts
# scaled the Deployment to 0, and pruning the Rollout deletes its pods. Scale the Deployment up to
# the Rollout's size and wait for it first, so the switch never drops below capacity.
live_rollouts=$($kubectl get rollouts.argoproj.io --all-namespaces -l "$selector" -o jsonpath='{range .items[*]}{.metadata.namespace} {.metadata.name} {.status.replicas}{"\n"}{end}' 2>/dev/null || true)
echo "$live_rollouts" | while read -r ns name replicas; do
  [ -n "$name" ] || continue
  if ! echo "$objects" | grep -qx "Rollout $ns $name"; then
    echo "deploy: $ns/$name goes back to a Deployment: scaling it to ${replicas:-1} before the Rollout is pruned"
    $kubectl scale deployment "$name" -n "$ns" --replicas="${replicas:-1}"
    $kubectl rollout status deployment "$name" -n "$ns" --timeout="$timeout"
  fi
done

allow=""
for k in $prune_kinds; do allow="$allow --prune-allowlist=$k"; done
# shellcheck disable=SC2086 # $allow is a list of flags
$kubectl apply --server-side --field-manager="$manager" --prune -l "$selector" $allow -f "$dir"

failed=0
rollouts=$(echo "$objects" | awk '$1 == "Rollout" { print $2 " " $3 }')
# Deployments taken over by a Rollout (workloadRef) are watched through the Rollout.
deployments=$(echo "$objects" | awk '$1 == "Deployment" { print $2 " " $3 }' | while read -r ns name; do
  echo "$rollouts" | grep -qx "$ns $name" || echo "$ns $name"
done)

# Watch every workload, roll back the ones that fail, report all of them.
for line in $(echo "$deployments" | tr ' ' '/'); do
  ns=${line%%/*}; name=${line#*/}
  if ! $kubectl rollout status deployment "$name" -n "$ns" --timeout="$timeout"; then
    echo "deploy: deployment $ns/$name did not complete: rolling back" >&2
    $kubectl rollout undo deployment "$name" -n "$ns" || true
    failed=1
  fi
done
for line in $(echo "$rollouts" | tr ' ' '/'); do
  ns=${line%%/*}; name=${line#*/}
  if ! $kubectl argo rollouts status "$name" -n "$ns" --timeout "$timeout"; then
    if [ "${ALLOW_PAUSED:-false}" = true ] && $kubectl argo rollouts status "$name" -n "$ns" --watch=false | grep -q '^Paused'; then
      echo "deploy: rollout $ns/$name is paused for a person: kubectl argo rollouts promote $name -n $ns (or abort)"
      continue
    fi
    echo "deploy: rollout $ns/$name did not become healthy: aborting (traffic back on the stable version)" >&2
    $kubectl argo rollouts abort "$name" -n "$ns" || true
    failed=1
  fi
done
[ "$failed" = 0 ] || { echo "deploy: release failed and was rolled back" >&2; exit 1; }
echo "deploy: all workloads healthy"

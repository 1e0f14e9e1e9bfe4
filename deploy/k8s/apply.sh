#!/usr/bin/env bash
# Rolls an overlay out in order: configuration, Secrets and (dev) servers; then each service's migration Job, waited
# for; then the Deployments. Usage: deploy/k8s/apply.sh <dev|production> [extra kubectl flags, e.g. --context ...]
set -euo pipefail
overlay=${1:?usage: deploy/k8s/apply.sh <dev|production> [kubectl flags]}
shift
here=$(cd "$(dirname "$0")" && pwd)
rendered=$(mktemp)
trap 'rm -f "$rendered"' EXIT
kubectl kustomize "$here/overlays/$overlay" > "$rendered"
namespace=$(awk '/^kind: Namespace/{found=1} found && /^  name:/{print $2; exit}' "$rendered")

# 1. Everything that is neither a server Deployment nor a migration Job (Namespace, ConfigMaps, Secrets, policies,
#    the dev overlay's PostgreSQL and RabbitMQ). "notin" also selects objects without the label.
kubectl "$@" apply -f "$rendered" -l 'app.kubernetes.io/component notin (server,migration)'
# 2. A Job's pod template is immutable: the previous release's Jobs go before this release's start.
kubectl "$@" -n "$namespace" delete job -l app.kubernetes.io/component=migration --ignore-not-found --wait=true
kubectl "$@" apply -f "$rendered" -l app.kubernetes.io/component=migration
kubectl "$@" -n "$namespace" wait --for=condition=complete job -l app.kubernetes.io/component=migration --timeout=15m
# 3. The services (rolling: maxUnavailable 0) and their Services, budgets and the Ingress.
kubectl "$@" apply -f "$rendered"
kubectl "$@" -n "$namespace" rollout status deployment -l app.kubernetes.io/component=server --timeout=10m

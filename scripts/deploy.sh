#!/usr/bin/env bash
# Install or upgrade Pilot-in-a-Box on Kubernetes with Helm, and print its URL.
#
#   scripts/deploy.sh <dev|staging|prod> [options] [-- extra helm arguments]
#
# Options:
#   --tag TAG          image tag (default: <package.json version>-<git commit>, as build-image.sh pushes)
#   --digest sha256:…  pull the image by digest (the tag is then only a label); prod requires a
#                      digest, here or as image.digest in values-prod.yaml (not its placeholder)
#   --namespace NS     namespace (default: pilot-<env>; created when missing)
#   --release NAME     Helm release name (default: pilot-in-a-box)
#   --timeout DUR      how long to wait for the setup Job and the rollout (default: 10m)
#   --template         only render the manifests (helm template), no cluster needed
#
# The upgrade is atomic: Helm waits for the migration Job and for every pod to be ready, and rolls
# the release back by itself if anything fails (--atomic with Helm 3, --rollback-on-failure with
# Helm 4). The Secret named by secrets.existingSecret must exist first (see docs/OPERATIONS.md).
# Environment: HELM (helm binary, default `helm`), KUBECTL (default `kubectl`).
set -euo pipefail

usage() { sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-2}"; }

cd "$(dirname "$0")/.."
CHART=deploy/helm/pilot-in-a-box
HELM="${HELM:-helm}"
KUBECTL="${KUBECTL:-kubectl}"

ENV_NAME="${1:-}"
case "$ENV_NAME" in
  dev|staging|prod) shift ;;
  -h|--help) usage 0 ;;
  *) echo "deploy: first argument must be dev, staging or prod" >&2; usage ;;
esac

TAG="" DIGEST="" NAMESPACE="pilot-${ENV_NAME}" RELEASE="pilot-in-a-box" TIMEOUT="10m" TEMPLATE_ONLY=false
EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --tag) TAG="${2:?--tag needs a value}"; shift 2 ;;
    --digest) DIGEST="${2:?--digest needs a value}"; shift 2 ;;
    --namespace) NAMESPACE="${2:?--namespace needs a value}"; shift 2 ;;
    --release) RELEASE="${2:?--release needs a value}"; shift 2 ;;
    --timeout) TIMEOUT="${2:?--timeout needs a value}"; shift 2 ;;
    --template) TEMPLATE_ONLY=true; shift ;;
    --) shift; EXTRA=("$@"); break ;;
    -h|--help) usage 0 ;;
    *) echo "deploy: unknown option $1" >&2; usage ;;
  esac
done

VALUES="$CHART/values-${ENV_NAME}.yaml"
command -v "$HELM" >/dev/null || { echo "deploy: $HELM not found (install Helm 3.13+ or 4)" >&2; exit 1; }

if [ -z "$TAG" ]; then
  VERSION="$(node -p 'require("./package.json").version' 2>/dev/null || sed -n 's/^  "version": "\(.*\)",$/\1/p' package.json)"
  COMMIT="$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)"
  TAG="${VERSION}-${COMMIT}"
fi

ARGS=("$RELEASE" "$CHART" --namespace "$NAMESPACE" -f "$VALUES" --set-string "image.tag=$TAG")
if [ -n "$DIGEST" ]; then
  [[ "$DIGEST" =~ ^sha256:[a-f0-9]{64}$ ]] || { echo "deploy: --digest must be sha256:<64 hex digits>, got $DIGEST" >&2; exit 2; }
  ARGS+=(--set-string "image.digest=$DIGEST")
fi

if [ "$TEMPLATE_ONLY" = true ]; then
  exec "$HELM" template "${ARGS[@]}" "${EXTRA[@]}"
fi

# Helm 4 renamed --atomic to --rollback-on-failure; --wait then waits for readiness (watcher).
HELM_MAJOR="$("$HELM" version --short 2>/dev/null | sed -n 's/^v\([0-9]*\)\..*/\1/p')"
if [ "${HELM_MAJOR:-3}" -ge 4 ]; then
  SAFETY=(--rollback-on-failure --wait=watcher)
else
  SAFETY=(--atomic --wait)
fi

# The Secrets the values file expects to exist (app secrets, ingress password) must be there first.
if command -v "$KUBECTL" >/dev/null; then
  # shellcheck disable=SC2013 # names are single words
  for SECRET in $(sed -n 's/^ *existingSecret: *\([^ #"]*\).*/\1/p' "$VALUES"); do
    if ! "$KUBECTL" -n "$NAMESPACE" get secret "$SECRET" >/dev/null 2>&1; then
      echo "deploy: Secret $SECRET is missing in namespace $NAMESPACE; create it first (docs/OPERATIONS.md, \"First install\")." >&2
      exit 1
    fi
  done
fi

# Production runs exactly the image that was tested: by digest, never by a tag someone can re-push.
# values-prod.yaml ships an all-zero placeholder digest that must be replaced (or overridden here).
if [ "$ENV_NAME" = prod ]; then
  EFFECTIVE="${DIGEST:-$(sed -n 's/^  digest: *"\{0,1\}\(sha256:[a-f0-9]*\)"\{0,1\}.*/\1/p' "$VALUES" | head -n 1)}"
  if [ -z "$EFFECTIVE" ] || [ "$EFFECTIVE" = "sha256:$(printf '0%.0s' $(seq 64))" ]; then
    echo "deploy: prod pins the image by digest: pass --digest sha256:… (docker buildx imagetools inspect <image>:<tag>) or set image.digest in $VALUES (it holds the placeholder)" >&2
    exit 1
  fi
fi

echo "deploy: $RELEASE → namespace $NAMESPACE, values $VALUES, image tag $TAG${DIGEST:+, digest $DIGEST}"
"$HELM" upgrade --install "${ARGS[@]}" \
  --create-namespace "${SAFETY[@]}" --timeout "$TIMEOUT" --history-max 10 \
  "${EXTRA[@]}"

"$HELM" status "$RELEASE" --namespace "$NAMESPACE" >/dev/null
# shellcheck disable=SC2016 # JavaScript, not shell
HOST="$("$HELM" get values "$RELEASE" --namespace "$NAMESPACE" --all -o json | node -e '
  let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
    const v = JSON.parse(s);
    const host = v.ingress && v.ingress.enabled && v.ingress.hosts && v.ingress.hosts[0] && v.ingress.hosts[0].host;
    const url = v.config && v.config.publicUrl ? v.config.publicUrl : host ? `${v.ingress.tls && v.ingress.tls.enabled ? "https" : "http"}://${host}` : "";
    process.stdout.write(url);
  });')"
echo "deploy: revision $("$HELM" history "$RELEASE" --namespace "$NAMESPACE" --max 1 -o json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(String(JSON.parse(s).pop().revision)))') is live"
if [ -n "$HOST" ]; then
  echo "deploy: URL: $HOST"
else
  echo "deploy: no ingress; kubectl -n $NAMESPACE port-forward svc/$RELEASE 3000:80, then http://localhost:3000"
fi
echo "deploy: roll back with: $HELM rollback $RELEASE --namespace $NAMESPACE"

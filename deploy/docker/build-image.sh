#!/usr/bin/env bash
# Build the Pilot-in-a-Box image, tagged with the version (package.json) and the git commit:
#   <image>:<version> and <image>:<version>-<commit>   (the second is immutable: deploy with it)
#
#   deploy/docker/build-image.sh [--image ghcr.io/acme/pilot-in-a-box] [--push] [-- docker build args]
#
# A dirty work tree gets a "-dirty" suffix on the commit, so a tag never lies about its sources.
set -euo pipefail
cd "$(dirname "$0")/../.."

IMAGE="${PIB_IMAGE:-pilot-in-a-box}" PUSH=false EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --image) IMAGE="${2:?--image needs a value}"; shift 2 ;;
    --push) PUSH=true; shift ;;
    --) shift; EXTRA=("$@"); break ;;
    *) echo "build-image: unknown option $1" >&2; exit 2 ;;
  esac
done

VERSION="$(node -p 'require("./package.json").version')"
COMMIT="$(git rev-parse --short=12 HEAD)"
if [ -n "$(git status --porcelain --untracked-files=no)" ]; then COMMIT="${COMMIT}-dirty"; fi
CREATED="$(date -u +%Y-%m-%dT%H:%M:%SZ)"

docker build \
  --build-arg "APP_VERSION=$VERSION" \
  --build-arg "GIT_COMMIT=$COMMIT" \
  --build-arg "BUILD_DATE=$CREATED" \
  --tag "$IMAGE:$VERSION" \
  --tag "$IMAGE:$VERSION-$COMMIT" \
  "${EXTRA[@]}" .

echo "build-image: $IMAGE:$VERSION and $IMAGE:$VERSION-$COMMIT"
if [ "$PUSH" = true ]; then
  docker push "$IMAGE:$VERSION"
  docker push "$IMAGE:$VERSION-$COMMIT"
fi

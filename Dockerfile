# kmslite container image: an AWS KMS-compatible local emulator on port 8080.
#
#   docker build -t kmslite .
#   docker run --rm -p 8080:8080 kmslite
#
# The base image is a build argument so CI can build this exact file on a locally made stand-in for
# node:24-slim with the same Node major (it cannot pull images); see docs/docker.md. Node 24: the LTS with the
# longest support, no slower than 20 or 22 (docs/contributing/benchmarks.md, "Node LTS"). Keep the base
# Debian-based (glibc), keep the CMD explicit (`node …`, no entrypoint script) and add no `# syntax=` line.
ARG NODE_IMAGE=node:24-slim

# ---- build: type-check and compile, then bundle the server into one file (scripts/bundle.mjs) ----------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# npm ci runs the package's `prepare` script, which does nothing under npm ci (scripts/build-if-stale.mjs).
COPY scripts/build-if-stale.mjs ./scripts/build-if-stale.mjs
RUN npm ci --no-audit --no-fund --loglevel=warn
COPY tsconfig.json ./
COPY scripts/bundle.mjs ./scripts/bundle.mjs
COPY src ./src
# The bundle carries the shipped seed pre-parsed, and the build makes the bundle's V8 code cache (a short
# training run of the server on loopback): scripts/bundle.mjs.
COPY seed.yaml ./seed.yaml
RUN npm run build --silent

# ---- runtime: the bundle (it holds every runtime dependency) and the seed ------------------------------
FROM ${NODE_IMAGE}
# KMSLITE_DATA_PATH_IF_MOUNTED: when /data is a mounted volume or host directory (local-kms's documented
# `-v ./data:/data`) and KMS_DATA_PATH is not set, state is kept there; otherwise it stays in memory.
# kmslite binds 127.0.0.1 by default; in a container it must listen on every interface for `-p` to reach it.
# Publish it on loopback (`-p 127.0.0.1:8080:8080`) unless other hosts should reach it (README, "Security").
# glibc's malloc on Node 24: memory that V8's worker threads free stays in glibc's per-thread arenas and above each
# arena's top, where glibc's dynamic thresholds keep it. Two arenas, a fixed mmap threshold (which also stops the
# dynamic trim threshold) and trimming at every free kept a 1.5 M-request run at 99.8 MiB against 134.4 without them
# and 116.8 with two arenas alone (docs/contributing/benchmarks.md, "Node 24 over a long run"); no extra system calls
# under steady load (strace -c).
ENV NODE_ENV=production \
    PORT=8080 \
    KMSLITE_DATA_PATH_IF_MOUNTED=/data \
    KMSLITE_HOST=0.0.0.0 \
    MALLOC_ARENA_MAX=2 \
    MALLOC_MMAP_THRESHOLD_=131072 \
    MALLOC_TRIM_THRESHOLD_=0
WORKDIR /app
# Files stay owned by root (read-only for the server); the process runs as the unprivileged `node` user.
COPY --from=build /app/dist/bundle ./dist/bundle
# The web console's static files (/_kmslite/console/, docs/console.md).
COPY --from=build /app/dist/console ./dist/console
COPY seed.yaml ./seed.yaml
# As local-kms: the default seed lives at /init/seed.yaml; mount your own file there to replace it.
COPY seed.yaml /init/seed.yaml
# For /data: a named volume mounted here starts as this directory, writable by the server (a host directory
# keeps its owner: see docs/docker.md for --user and chown).
RUN mkdir -p /data && chown node:node /data && chmod 0700 /data
USER node
EXPOSE 8080
# Sends the operator token when one is set (KMSLITE_ADMIN_TOKEN): every operator request needs it then.
HEALTHCHECK --interval=5s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "const t=process.env.KMSLITE_ADMIN_TOKEN;fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/_kmslite/health',{headers:t?{authorization:'Bearer '+t}:{}}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node runs as PID 1 and kmslite handles SIGTERM/SIGINT itself: `docker stop` ends it at once with exit 0.
CMD ["node", "dist/bundle/kmslite.cjs"]

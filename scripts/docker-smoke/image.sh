# shellcheck shell=bash
# The image: a stand-in for the Dockerfile's default base (node:<major>-slim) made here (debootstrap a minbase rootfs
# from apt's own mirror, copy in that major's node from the npm registry (scripts/fetch-node.sh), the host's npm, CA
# bundle and a `node` user, `docker import` it), the project's Dockerfile built on it, and what the built image holds.
# Sourced by scripts/ci-docker-smoke.sh (the driver, which runs the steps in order); defines functions only.

# The Node major of the Dockerfile's default base (`ARG NODE_IMAGE=node:24-slim`): the stand-in gets that Node, so
# the image CI tests runs the Node users get.
BASE_MAJOR=$(sed -n 's/^ARG NODE_IMAGE=node:\([0-9][0-9]*\)-slim$/\1/p' "$REPO_ROOT/Dockerfile")
STANDIN=kmslite-ci/node:${BASE_MAJOR:-unknown}-slim-standin
IMAGE=kmslite:ci-smoke

build_standin() {
  local mirror suite rootfs node_bin npm_dir ca_bundle node_dir
  [[ -n "$BASE_MAJOR" ]] || { echo 'the Dockerfile has no `ARG NODE_IMAGE=node:<major>-slim` line' >&2; return 1; }
  # Fetched first: a registry that cannot be reached fails here, before the minute of debootstrap.
  node_dir=$(bash "$REPO_ROOT/scripts/fetch-node.sh" "$BASE_MAJOR" | tail -n 1) && [[ -x "$node_dir/node" ]] || return 1
  # The mirror apt already uses here (never a hard-coded host).
  mirror=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null)
  if [[ -z "$mirror" ]]; then
    mirror=$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; exit } }' /etc/apt/sources.list 2>/dev/null)
  fi
  [[ -n "$mirror" ]] || { echo 'no Debian mirror found in apt sources' >&2; return 1; }
  suite=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
  rootfs="$WORK/rootfs"
  echo "debootstrap --variant=minbase $suite $mirror"
  timeout 900 debootstrap --variant=minbase "$suite" "$rootfs" "$mirror" || return 1
  # Node <major> from the npm registry and the host's npm in the official image's layout: /usr/local/bin/node,
  # /usr/local/lib/node_modules/npm. (The official image's npm is the one its Node release ships; npm ci in the
  # build only needs a working npm.)
  node_bin="$node_dir/node"
  npm_dir="$(dirname "$(readlink -f "$(command -v node)")")/../lib/node_modules/npm"
  [[ -f "$npm_dir/bin/npm-cli.js" ]] || npm_dir="$(npm root -g 2>/dev/null)/npm"
  install -D -m 0755 "$node_bin" "$rootfs/usr/local/bin/node" || return 1
  mkdir -p "$rootfs/usr/local/lib/node_modules" && cp -a "$npm_dir" "$rootfs/usr/local/lib/node_modules/npm" || return 1
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
  chroot "$rootfs" groupadd --gid 1000 node || return 1
  chroot "$rootfs" useradd --uid 1000 --gid node --shell /bin/bash --create-home node || return 1
  # The host's CA bundle: npm ci inside the build goes through this machine's TLS-intercepting egress
  # proxy. CI-only: the shipped Dockerfile knows nothing of it.
  ca_bundle=${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}
  [[ -f "$ca_bundle" ]] || ca_bundle=/etc/ssl/certs/ca-certificates.crt
  mkdir -p "$rootfs/etc/ssl/certs" && cp "$ca_bundle" "$rootfs/etc/ssl/certs/ca-certificates.crt" || return 1
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin
  chroot "$rootfs" /usr/local/bin/node --version || return 1
  tar -C "$rootfs" -c . | timeout 300 "$DOCKER" import \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
    -c 'CMD ["node"]' - "$STANDIN" || return 1
  rm -rf "$rootfs"
}

# 3. The stand-in base image (exits the stage when it cannot be made).
make_standin_base() {
  step_start=$(date +%s)
  if build_standin >"$LOGS/standin.log" 2>&1; then
    pass standin_base "$STANDIN, $(sed -n 's/^debootstrap .* \([a-z]*\) \(http[^ ]*\)$/\1 from \2/p' "$LOGS/standin.log"), node $(grep -m1 '^v[0-9]' "$LOGS/standin.log"), $(($(date +%s) - step_start)) s"
  else
    show_tail "$LOGS/standin.log"
    fail standin_base 'could not make the stand-in base image'
    exit 1
  fi
}

# 4. The project's Dockerfile with NODE_IMAGE=<stand-in> (exits the stage when the build fails).
build_image() {
  step_start=$(date +%s)
  if timeout 1200 "$DOCKER" build ${DOCKER_BUILDKIT:+--progress=plain} --build-arg "NODE_IMAGE=$STANDIN" -t "$IMAGE" . \
    >"$LOGS/build.log" 2>&1; then
    size=$("$DOCKER" image inspect -f '{{.Size}}' "$IMAGE" 2>/dev/null || echo 0)
    base_size=$("$DOCKER" image inspect -f '{{.Size}}' "$STANDIN" 2>/dev/null || echo 0)
    pass image_build "$(($(date +%s) - step_start)) s, $((size / 1000000)) MB of which $(((size - base_size) / 1000000)) MB on top of the base"
  else
    show_tail "$LOGS/build.log" 60
    fail image_build 'docker build failed'
    exit 1
  fi
}

# Runs as the image's own user and workdir; reports every missing or unwanted path.
contents_script='
problems=""
[ "$(id -un)" = node ] || problems="$problems user=$(id -un)"
[ "$(pwd)" = /app ] || problems="$problems workdir=$(pwd)"
for path in dist/bundle/kmslite.cjs dist/bundle/kmslite.mjs dist/bundle/server.cjs dist/bundle/server.cjs.cache seed.yaml /init/seed.yaml; do
  [ -e "$path" ] || problems="$problems missing:$path"
done
# The V8 code cache made at build time must be the one this node accepts (scripts/bundle.mjs).
KMSLITE_CODE_CACHE_DEBUG=1 node dist/bundle/kmslite.cjs --help 2>&1 >/dev/null | grep -q "code cache: used" || problems="$problems code-cache-not-used"
for path in src test bench node_modules dist/src; do
  [ ! -e "$path" ] || problems="$problems unwanted:$path"
done
[ "$NODE_ENV" = production ] || problems="$problems NODE_ENV=$NODE_ENV"
[ "$PORT" = 8080 ] || problems="$problems PORT=$PORT"
echo "${problems:-ok}"
'

# 5. What the image holds: user, workdir, the bundle and its code cache, no sources, CMD.
check_image_contents() {
  contents=$(timeout 60 "$DOCKER" run --rm "$IMAGE" sh -c "$contents_script" 2>&1)
  image_cmd=$("$DOCKER" image inspect -f '{{json .Config.Cmd}} {{json .Config.Entrypoint}} {{json .Config.ExposedPorts}}' "$IMAGE" 2>&1)
  if [[ "$contents" == ok && "$image_cmd" == '["node","dist/bundle/kmslite.cjs"] null {"8080/tcp":{}}' ]]; then
    pass image_contents 'user node, /app, the bundle only (no node_modules) with its V8 code cache in use, seed at /init/seed.yaml, CMD node dist/bundle/kmslite.cjs'
  else
    fail image_contents "${contents//$'\n'/ } | $image_cmd"
  fi
}

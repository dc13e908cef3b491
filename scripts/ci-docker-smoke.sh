#!/usr/bin/env bash
# Image smoke stage of CI: builds the project's Dockerfile on a locally made stand-in for node:20-slim,
# runs the image and talks KMS to it. See docs/docker.md ("How CI tests the image").
#
#   bash scripts/ci-docker-smoke.sh
#
# Needs root and apt (Debian). Steps: install docker.io + debootstrap (+ nftables, for the clean-up) from
# apt; start a private dockerd (temp data/exec root and socket); debootstrap a minbase rootfs from apt's
# own mirror, copy the host's node/npm, CA bundle and a `node` user in, `docker import` it as the stand-in
# base; `docker build --build-arg NODE_IMAGE=<stand-in>`; `docker run -d -p 127.0.0.1:<free port>:8080`;
# wait for the HEALTHCHECK to say healthy; ListAliases / Encrypt+Decrypt / CreateKey+DescribeKey through
# the official SDK (scripts/docker-smoke-client.mjs); `docker stop -t 10` must end it quickly with exit 0;
# the container log must hold request lines; a second container with a seed mounted at /init/seed.yaml
# and KMS_ACCOUNT_ID/KMS_REGION set must serve that seed instead of the image's; a third with a volume at /data
# and KMS_DATA_PATH=/data must still have a key and alias after `docker kill` (SIGKILL) and `docker start`; local-kms's
# documented /data mount (docs/migrating.md): a volume at /data alone keeps state, a host directory the image's
# uid 1000 cannot write stops it with the EACCES message, the same directory with --user works (with
# KMSLITE_SINGLE_REGION=true), and a directory holding local-kms's LevelDB files is refused; the Testcontainers recipe (test/recipes/testcontainers, docs/testing.md) runs against the built image; the compose
# example (examples/docker-compose.yml) must pass `docker compose config`. On exit it stops dockerd by PID and removes what dockerd
# left on the host (docker0, the ip nat/filter tables it created, ip_forward).
#
# Prints one line per check (`PASS name`, `FAIL name (why)`, `SKIP name (why)`) and, last,
# `DOCKER_SMOKE passed=N failed=N skipped=N`. Exit 0 when nothing failed.
# Without root or apt-get the engine cannot be installed: every check is SKIPPED (exit 0).
# KMSLITE_DOCKER_SMOKE=skip skips the stage on purpose. All loops are bounded; only loopback is used.
set -uo pipefail

cd "$(dirname "$0")/.."
REPO_ROOT=$(pwd)

CHECKS=(
  engine_install dockerd_start standin_base image_build image_contents container_start container_healthy
  kms_list_aliases kms_encrypt_decrypt kms_create_describe stop_exit_code stop_fast logs_request_lines
  mounted_seed data_volume_kill_restart
  data_mount_auto data_bind_not_writable data_bind_user_single_region data_leveldb_refused testcontainers_recipe compose_config
)
declare -A RESULT=()
STAGE_START=$(date +%s)

log() { echo "docker-smoke: $*"; }
pass() { RESULT[$1]=PASS; echo "PASS $1${2:+ ($2)}"; }
fail() { RESULT[$1]=FAIL; echo "FAIL $1${2:+ ($2)}"; }
skip_remaining() {
  local check
  for check in "${CHECKS[@]}"; do
    if [[ -z "${RESULT[$check]:-}" ]]; then RESULT[$check]=SKIP; echo "SKIP $check ($1)"; fi
  done
}
# Shows the end of a log file after a failure.
show_tail() {
  [[ -s "$1" ]] || return 0
  echo "---- last lines of $(basename "$1") ----"
  tail -n "${2:-40}" "$1" | sed 's/^/    /'
  echo "----"
}
now_ms() { date +%s%3N; }

summary() {
  local passed=0 failed=0 skipped=0 check
  skip_remaining 'not run: an earlier step failed'
  for check in "${CHECKS[@]}"; do
    case "${RESULT[$check]}" in
      PASS) passed=$((passed + 1)) ;;
      FAIL) failed=$((failed + 1)) ;;
      *) skipped=$((skipped + 1)) ;;
    esac
  done
  log "stage took $(($(date +%s) - STAGE_START)) s"
  echo "DOCKER_SMOKE passed=$passed failed=$failed skipped=$skipped"
  [[ $failed -eq 0 ]]
}

# ---- skip when the engine cannot be installed here ------------------------------------------------
skip_all() {
  log "$1"
  skip_remaining "$1"
  summary
  exit $?
}
case "${KMSLITE_DOCKER_SMOKE:-}" in
  0 | skip | false | no) skip_all 'skipped on purpose (KMSLITE_DOCKER_SMOKE=skip)' ;;
esac
[[ $(id -u) -eq 0 ]] || skip_all 'not root: cannot install a container engine with apt, image smoke skipped'
command -v apt-get >/dev/null 2>&1 || skip_all 'no apt-get: cannot install a container engine here, image smoke skipped'

# ---- state for the clean-up -----------------------------------------------------------------------
WORK=$(mktemp -d /tmp/kmslite-smoke.XXXXXX)   # short path: dockerd's unix socket lives in it
LOGS="$WORK/logs"
mkdir -p "$LOGS"
DOCKERD_PID=''
CONTAINER=''
CONTAINER2=''
EXTRA_CONTAINERS=''
NET_CLEANUP=0
OTHER_DOCKERD=0
IP_FORWARD_BEFORE=''
declare -a TABLES_BEFORE=()
NFT_TABLES=('ip nat' 'ip filter' 'ip6 nat' 'ip6 filter')
DOCKER=docker

table_exists() { nft list table $1 >/dev/null 2>&1; }

cleanup() {
  local status=$? i
  trap - EXIT INT TERM
  if [[ -n "$DOCKERD_PID" ]]; then
    for container in $CONTAINER $CONTAINER2 $EXTRA_CONTAINERS; do timeout 30 "$DOCKER" rm -f "$container" >/dev/null 2>&1; done
  fi
  if [[ -n "$DOCKERD_PID" ]] && kill -0 "$DOCKERD_PID" 2>/dev/null; then
    kill -TERM "$DOCKERD_PID" 2>/dev/null
    for ((i = 0; i < 60; i++)); do kill -0 "$DOCKERD_PID" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$DOCKERD_PID" 2>/dev/null; then
      log "dockerd (pid $DOCKERD_PID) ignored SIGTERM for 30 s: killing it"
      kill -KILL "$DOCKERD_PID" 2>/dev/null
    fi
    wait "$DOCKERD_PID" 2>/dev/null
  fi
  # dockerd stops its own containerd; if it was killed instead, stop that containerd by its PID file.
  local containerd_pid
  containerd_pid=$(cat "$WORK/exec/containerd/containerd.pid" 2>/dev/null || true)
  if [[ -n "$containerd_pid" ]] && kill -0 "$containerd_pid" 2>/dev/null; then kill -TERM "$containerd_pid" 2>/dev/null; fi
  # Anything still mounted below the work dir (overlay layers, a half-done debootstrap's /proc).
  local mountpoint
  for ((i = 0; i < 3; i++)); do
    awk -v root="$WORK" 'index($2, root) == 1 { print $2 }' /proc/mounts | sort -r | while read -r mountpoint; do
      umount "$mountpoint" 2>/dev/null || umount -l "$mountpoint" 2>/dev/null
    done
  done
  rm -rf "$WORK" 2>/dev/null
  # What dockerd leaves on the host (docs/docker.md): only when no other dockerd is running here.
  if [[ $NET_CLEANUP -eq 1 && $OTHER_DOCKERD -eq 0 ]]; then
    ip link del docker0 2>/dev/null
    if command -v nft >/dev/null 2>&1; then
      local table
      for table in "${NFT_TABLES[@]}"; do
        if table_exists "$table"; then
          if [[ " ${TABLES_BEFORE[*]:-} " == *" ${table/ /_} "* ]]; then
            log "table $table existed before dockerd started: left in place (it may hold DOCKER chains now)"
          else
            nft delete table $table 2>/dev/null || log "could not delete table $table"
          fi
        fi
      done
    else
      iptables -t nat -F 2>/dev/null; iptables -t nat -X 2>/dev/null
      iptables -t filter -F 2>/dev/null; iptables -t filter -X 2>/dev/null
    fi
    if [[ -n "$IP_FORWARD_BEFORE" ]]; then echo "$IP_FORWARD_BEFORE" >/proc/sys/net/ipv4/ip_forward 2>/dev/null; fi
    log "host network restored (docker0, nat/filter tables, ip_forward=$IP_FORWARD_BEFORE)"
  fi
  summary
  local summary_status=$?
  if [[ $status -ne 0 && $summary_status -eq 0 ]]; then exit "$status"; fi
  exit "$summary_status"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

# ---- 1. engine ------------------------------------------------------------------------------------
step_start=$(date +%s)
export DEBIAN_FRONTEND=noninteractive
timeout 300 apt-get update -qq >"$LOGS/apt.log" 2>&1 || log 'apt-get update failed; trying the install with the lists present'
if timeout 900 apt-get install -y -qq --no-install-recommends \
  -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
  docker.io debootstrap nftables iptables >>"$LOGS/apt.log" 2>&1 \
  && command -v dockerd >/dev/null && command -v debootstrap >/dev/null; then
  pass engine_install "$(dockerd --version 2>/dev/null | head -n 1), $(($(date +%s) - step_start)) s"
else
  show_tail "$LOGS/apt.log"
  fail engine_install 'apt-get install docker.io debootstrap failed'
  exit 1
fi
# The client that comes with the engine (20.10) has BuildKit built in; another `docker` earlier in PATH
# may lack the buildx plugin.
if [[ -x /usr/bin/docker ]]; then DOCKER=/usr/bin/docker; export DOCKER_BUILDKIT=1; fi

# ---- 2. private dockerd -----------------------------------------------------------------------------
step_start=$(date +%s)
for pid in $(pgrep -x dockerd 2>/dev/null); do OTHER_DOCKERD=1; done
[[ $OTHER_DOCKERD -eq 1 ]] && log 'another dockerd is running on this machine: host network clean-up will be left to it'
IP_FORWARD_BEFORE=$(cat /proc/sys/net/ipv4/ip_forward 2>/dev/null || true)
if command -v nft >/dev/null 2>&1; then
  for table in "${NFT_TABLES[@]}"; do table_exists "$table" && TABLES_BEFORE+=("${table/ /_}"); done
fi
NET_CLEANUP=1
dockerd --data-root "$WORK/data" --exec-root "$WORK/exec" --pidfile "$WORK/dockerd.pid" \
  -H "unix://$WORK/docker.sock" >"$LOGS/dockerd.log" 2>&1 &
DOCKERD_PID=$!
export DOCKER_HOST="unix://$WORK/docker.sock"
ready=0
for ((i = 0; i < 60; i++)); do
  if timeout 5 "$DOCKER" info >/dev/null 2>&1; then ready=1; break; fi
  kill -0 "$DOCKERD_PID" 2>/dev/null || break
  sleep 0.5
done
if [[ $ready -eq 1 ]]; then
  pass dockerd_start "pid $DOCKERD_PID, $(($(date +%s) - step_start)) s"
else
  show_tail "$LOGS/dockerd.log"
  fail dockerd_start 'docker info did not answer within 30 s'
  exit 1
fi

# ---- 3. stand-in base image ---------------------------------------------------------------------------
STANDIN=kmslite-ci/node:20-slim-standin
step_start=$(date +%s)
build_standin() {
  local mirror suite rootfs node_bin npm_dir ca_bundle
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
  # The host's Node 20 in the official image's layout: /usr/local/bin/node, /usr/local/lib/node_modules/npm.
  node_bin=$(readlink -f "$(command -v node)")
  npm_dir="$(dirname "$node_bin")/../lib/node_modules/npm"
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
if build_standin >"$LOGS/standin.log" 2>&1; then
  pass standin_base "$STANDIN, $(sed -n 's/^debootstrap .* \([a-z]*\) \(http[^ ]*\)$/\1 from \2/p' "$LOGS/standin.log"), node $(grep -m1 '^v[0-9]' "$LOGS/standin.log"), $(($(date +%s) - step_start)) s"
else
  show_tail "$LOGS/standin.log"
  fail standin_base 'could not make the stand-in base image'
  exit 1
fi

# ---- 4. build the project's Dockerfile ----------------------------------------------------------------
IMAGE=kmslite:ci-smoke
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

# ---- 5. what the image holds -------------------------------------------------------------------------
# Runs the image's own user and workdir; reports every missing or unwanted path.
contents_script='
problems=""
[ "$(id -un)" = node ] || problems="$problems user=$(id -un)"
[ "$(pwd)" = /app ] || problems="$problems workdir=$(pwd)"
for path in dist/bundle/kmslite.mjs dist/bundle/kmslite.cjs dist/bundle/kmslite.cjs.cache seed.yaml /init/seed.yaml; do
  [ -e "$path" ] || problems="$problems missing:$path"
done
# The V8 code cache made at build time must be the one this node accepts (scripts/bundle.mjs).
KMSLITE_CODE_CACHE_DEBUG=1 node dist/bundle/kmslite.mjs --help 2>&1 >/dev/null | grep -q "code cache: used" || problems="$problems code-cache-not-used"
for path in src test bench node_modules dist/src; do
  [ ! -e "$path" ] || problems="$problems unwanted:$path"
done
[ "$NODE_ENV" = production ] || problems="$problems NODE_ENV=$NODE_ENV"
[ "$PORT" = 8080 ] || problems="$problems PORT=$PORT"
echo "${problems:-ok}"
'
contents=$(timeout 60 "$DOCKER" run --rm "$IMAGE" sh -c "$contents_script" 2>&1)
image_cmd=$("$DOCKER" image inspect -f '{{json .Config.Cmd}} {{json .Config.Entrypoint}} {{json .Config.ExposedPorts}}' "$IMAGE" 2>&1)
if [[ "$contents" == ok && "$image_cmd" == '["node","dist/bundle/kmslite.mjs"] null {"8080/tcp":{}}' ]]; then
  pass image_contents 'user node, /app, the bundle only (no node_modules) with its V8 code cache in use, seed at /init/seed.yaml, CMD node dist/bundle/kmslite.mjs'
else
  fail image_contents "${contents//$'\n'/ } | $image_cmd"
fi

# ---- 6. run it -----------------------------------------------------------------------------------------
HOST_PORT=$(node -e "const s=require('node:net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
ENDPOINT="http://127.0.0.1:$HOST_PORT"
CONTAINER_NAME="kmslite-ci-smoke-$$"
if CONTAINER=$(timeout 60 "$DOCKER" run -d --name "$CONTAINER_NAME" -p "127.0.0.1:$HOST_PORT:8080" "$IMAGE" 2>"$LOGS/run.log"); then
  CONTAINER=${CONTAINER:0:12}
  pass container_start "$CONTAINER on 127.0.0.1:$HOST_PORT"
else
  CONTAINER=''
  show_tail "$LOGS/run.log"
  fail container_start 'docker run failed'
  exit 1
fi

step_ms=$(now_ms)
health=''
for ((i = 0; i < 120; i++)); do   # 60 s at most
  health=$("$DOCKER" inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}} {{.State.Status}}' "$CONTAINER" 2>/dev/null)
  case "$health" in
    'healthy running' | 'unhealthy '* | *' exited' | *' dead' | 'none '*) break ;;
  esac
  sleep 0.5
done
host_health=$(timeout 15 node -e "
fetch('$ENDPOINT/_kmslite/health', { signal: AbortSignal.timeout(10000) })
  .then(async (r) => { const body = await r.json(); console.log(r.status === 200 && typeof body === 'object' ? 'ok' : 'HTTP ' + r.status); })
  .catch((e) => console.log('error ' + e.message));" 2>&1)
if [[ "$health" == 'healthy running' && "$host_health" == ok ]]; then
  pass container_healthy "HEALTHCHECK healthy after $(($(now_ms) - step_ms)) ms; GET /_kmslite/health from the host: 200 JSON"
else
  fail container_healthy "health/state: ${health:-unknown}; host GET /_kmslite/health: $host_health"
  "$DOCKER" logs --tail 30 "$CONTAINER" 2>&1 | sed 's/^/    /'
fi

# ---- 7. KMS through the official SDK ---------------------------------------------------------------------
kms_check() {
  local name=$1 check=$2 output
  local endpoint=${3:-$ENDPOINT}
  # --no-warnings: the SDK's Node-version notice is noise here; failures are printed by the client itself.
  if output=$(cd "$REPO_ROOT" && timeout 60 node --no-warnings scripts/docker-smoke-client.mjs "$endpoint" "$check" 2>&1); then
    pass "$name" "${output//$'\n'/ }"
  else
    fail "$name" "${output//$'\n'/ }"
  fi
}
kms_check kms_list_aliases list-aliases
kms_check kms_encrypt_decrypt encrypt-decrypt
kms_check kms_create_describe create-describe

# ---- 8. stop: SIGTERM to node as PID 1 ----------------------------------------------------------------------
step_ms=$(now_ms)
timeout 30 "$DOCKER" stop -t 10 "$CONTAINER" >/dev/null 2>&1
stop_ms=$(($(now_ms) - step_ms))
state=$("$DOCKER" inspect -f '{{.State.Status}} {{.State.ExitCode}} {{.State.OOMKilled}}' "$CONTAINER" 2>&1)
if [[ "$state" == 'exited 0 false' ]]; then
  pass stop_exit_code 'exit code 0 after docker stop'
else
  fail stop_exit_code "state after docker stop: $state"
fi
if [[ $stop_ms -lt 5000 && "$state" == exited* ]]; then
  pass stop_fast "stopped in $stop_ms ms (SIGKILL would come at 10000 ms)"
else
  fail stop_fast "docker stop -t 10 took $stop_ms ms"
fi

# ---- 9. the container log ------------------------------------------------------------------------------------
"$DOCKER" logs "$CONTAINER" >"$LOGS/container.log" 2>&1
requests=$(grep -c '"msg":"request"' "$LOGS/container.log")
if [[ $requests -ge 5 ]] && grep -q '"msg":"kmslite listening"' "$LOGS/container.log" \
  && grep -q '"signal":"SIGTERM".*"msg":"kmslite stopping"\|"msg":"kmslite stopping".*"signal":"SIGTERM"' "$LOGS/container.log"; then
  pass logs_request_lines "$requests request lines, listening and SIGTERM stopping lines"
else
  fail logs_request_lines "$requests request lines (need >= 5) or no listening/stopping line"
  show_tail "$LOGS/container.log" 20
fi

# ---- 10. a seed mounted at /init/seed.yaml, settings from the environment (docs/docker.md) ---------------------
cat >"$WORK/seed.yaml" <<'SEED'
Keys:
  Symmetric:
    Aes:
      - Metadata:
          KeyId: 7f3c2a10-5b6d-4e8f-9a01-23456789abcd
          Description: mounted by the CI image smoke
        BackingKeys:
          - 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff
Aliases:
  - AliasName: alias/ci-mounted-seed
    TargetKeyId: 7f3c2a10-5b6d-4e8f-9a01-23456789abcd
SEED
chmod 0644 "$WORK/seed.yaml"
HOST_PORT2=$(node -e "const s=require('node:net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
if CONTAINER2=$(timeout 60 "$DOCKER" run -d --name "$CONTAINER_NAME-seed" -p "127.0.0.1:$HOST_PORT2:8080" \
  -v "$WORK/seed.yaml:/init/seed.yaml:ro" -e KMS_ACCOUNT_ID=444455556666 -e KMS_REGION=us-west-2 "$IMAGE" 2>"$LOGS/run2.log"); then
  CONTAINER2=${CONTAINER2:0:12}
  up=0
  for ((i = 0; i < 60; i++)); do   # 30 s at most
    if timeout 5 node -e "fetch('http://127.0.0.1:$HOST_PORT2/_kmslite/health',{signal:AbortSignal.timeout(2000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"; then up=1; break; fi
    [[ "$("$DOCKER" inspect -f '{{.State.Status}}' "$CONTAINER2" 2>/dev/null)" == running ]] || break
    sleep 0.5
  done
  if [[ $up -eq 1 ]]; then
    kms_check mounted_seed mounted-seed "http://127.0.0.1:$HOST_PORT2"
  else
    fail mounted_seed 'the container with the mounted seed did not answer its health endpoint'
  fi
  [[ "${RESULT[mounted_seed]}" == PASS ]] || "$DOCKER" logs --tail 20 "$CONTAINER2" 2>&1 | sed 's/^/    /'
  timeout 30 "$DOCKER" rm -f "$CONTAINER2" >/dev/null 2>&1
else
  CONTAINER2=''
  show_tail "$LOGS/run2.log"
  fail mounted_seed 'docker run with the mounted seed failed'
fi

# ---- 11. state in a volume (KMS_DATA_PATH=/data) survives SIGKILL and a restart (docs/persistence.md) ---------
wait_healthy_port() {
  local port=$1 container=$2 i
  for ((i = 0; i < 60; i++)); do   # 30 s at most
    if timeout 5 node -e "fetch('http://127.0.0.1:$port/_kmslite/health',{signal:AbortSignal.timeout(2000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"; then return 0; fi
    [[ "$("$DOCKER" inspect -f '{{.State.Status}}' "$container" 2>/dev/null)" == running ]] || return 1
    sleep 0.5
  done
  return 1
}
HOST_PORT3=$(node -e "const s=require('node:net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
VOLUME="kmslite-ci-data-$$"
if CONTAINER3=$(timeout 60 "$DOCKER" run -d --name "$CONTAINER_NAME-data" -p "127.0.0.1:$HOST_PORT3:8080" \
  -v "$VOLUME:/data" -e KMS_DATA_PATH=/data "$IMAGE" 2>"$LOGS/run3.log"); then
  CONTAINER3=${CONTAINER3:0:12}
  ENDPOINT3="http://127.0.0.1:$HOST_PORT3"
  if wait_healthy_port "$HOST_PORT3" "$CONTAINER3" \
    && created=$(cd "$REPO_ROOT" && timeout 60 node --no-warnings scripts/docker-smoke-client.mjs "$ENDPOINT3" persisted-create 2>&1) \
    && timeout 30 "$DOCKER" kill "$CONTAINER3" >/dev/null 2>&1 \
    && timeout 30 "$DOCKER" start "$CONTAINER3" >/dev/null 2>&1 \
    && wait_healthy_port "$HOST_PORT3" "$CONTAINER3"; then
    kms_check data_volume_kill_restart persisted-read "$ENDPOINT3"
  else
    fail data_volume_kill_restart "set-up failed: ${created:-no key created}"
  fi
  [[ "${RESULT[data_volume_kill_restart]}" == PASS ]] || "$DOCKER" logs --tail 20 "$CONTAINER3" 2>&1 | sed 's/^/    /'
  timeout 30 "$DOCKER" rm -f "$CONTAINER3" >/dev/null 2>&1
  timeout 30 "$DOCKER" volume rm -f "$VOLUME" >/dev/null 2>&1
else
  show_tail "$LOGS/run3.log"
  fail data_volume_kill_restart 'docker run with a data volume failed'
fi

# ---- 12. local-kms's `-v ./data:/data` (docs/migrating.md, docs/docker.md "Keeping state") -------------------------
# Waits (bounded) for a container to stop by itself; prints its exit code.
wait_exited() {
  local container=$1 i state
  for ((i = 0; i < 60; i++)); do   # 30 s at most
    state=$("$DOCKER" inspect -f '{{.State.Status}} {{.State.ExitCode}}' "$container" 2>/dev/null)
    [[ "$state" == exited* ]] && { echo "${state#exited }"; return 0; }
    sleep 0.5
  done
  echo "still ${state:-unknown}"
  return 1
}
free_port() { node -e "const s=require('node:net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }

# a) A named volume at /data and no KMS_DATA_PATH: the image keeps state there by itself (KMSLITE_DATA_PATH_IF_MOUNTED).
PORT_A=$(free_port)
VOLUME_A="kmslite-ci-auto-$$"
if CONTAINER_A=$(timeout 60 "$DOCKER" run -d --name "$CONTAINER_NAME-auto" -p "127.0.0.1:$PORT_A:8080" -v "$VOLUME_A:/data" "$IMAGE" 2>"$LOGS/run-a.log"); then
  CONTAINER_A=${CONTAINER_A:0:12}
  EXTRA_CONTAINERS="$EXTRA_CONTAINERS $CONTAINER_A"
  if wait_healthy_port "$PORT_A" "$CONTAINER_A" \
    && created=$(cd "$REPO_ROOT" && timeout 60 node --no-warnings scripts/docker-smoke-client.mjs "http://127.0.0.1:$PORT_A" persisted-create 2>&1) \
    && timeout 30 "$DOCKER" kill "$CONTAINER_A" >/dev/null 2>&1 \
    && timeout 30 "$DOCKER" start "$CONTAINER_A" >/dev/null 2>&1 \
    && wait_healthy_port "$PORT_A" "$CONTAINER_A"; then
    if "$DOCKER" logs "$CONTAINER_A" 2>&1 | grep -q 'state kept in the mounted volume'; then
      kms_check data_mount_auto persisted-read "http://127.0.0.1:$PORT_A"
    else
      fail data_mount_auto 'no "state kept in the mounted volume" log line'
    fi
  else
    fail data_mount_auto "set-up failed: ${created:-no key created}"
  fi
  [[ "${RESULT[data_mount_auto]}" == PASS ]] || "$DOCKER" logs --tail 20 "$CONTAINER_A" 2>&1 | sed 's/^/    /'
  timeout 30 "$DOCKER" rm -f "$CONTAINER_A" >/dev/null 2>&1
  timeout 30 "$DOCKER" volume rm -f "$VOLUME_A" >/dev/null 2>&1
else
  show_tail "$LOGS/run-a.log"
  fail data_mount_auto 'docker run with a volume at /data failed'
fi

# b) A host directory the image's user (uid 1000) cannot write, as `-v ./data:/data` usually is: exit 1 and what to do.
HOST_DATA="$WORK/host-data"
mkdir -p "$HOST_DATA" && chown 0:0 "$HOST_DATA" && chmod 0755 "$HOST_DATA"
if CONTAINER_B=$(timeout 60 "$DOCKER" run -d --name "$CONTAINER_NAME-eacces" -v "$HOST_DATA:/data" "$IMAGE" 2>"$LOGS/run-b.log"); then
  CONTAINER_B=${CONTAINER_B:0:12}
  EXTRA_CONTAINERS="$EXTRA_CONTAINERS $CONTAINER_B"
  code=$(wait_exited "$CONTAINER_B")
  "$DOCKER" logs "$CONTAINER_B" >"$LOGS/container-b.log" 2>&1
  if [[ "$code" == 1 ]] && grep -q 'cannot write to the data directory /data (EACCES' "$LOGS/container-b.log" \
    && grep -q 'docker run --user' "$LOGS/container-b.log" && grep -q 'chown' "$LOGS/container-b.log"; then
    pass data_bind_not_writable 'exit code 1 with the EACCES message (chown / --user / named volume)'
  else
    fail data_bind_not_writable "exit: $code"
    show_tail "$LOGS/container-b.log" 10
  fi
  timeout 30 "$DOCKER" rm -f "$CONTAINER_B" >/dev/null 2>&1
else
  show_tail "$LOGS/run-b.log"
  fail data_bind_not_writable 'docker run failed'
fi

# c) The same directory with --user "$(id -u):$(id -g)" (the message's advice) and KMSLITE_SINGLE_REGION=true.
PORT_C=$(free_port)
if CONTAINER_C=$(timeout 60 "$DOCKER" run -d --name "$CONTAINER_NAME-user" -p "127.0.0.1:$PORT_C:8080" -v "$HOST_DATA:/data" \
  --user "$(id -u):$(id -g)" -e KMSLITE_SINGLE_REGION=true "$IMAGE" 2>"$LOGS/run-c.log"); then
  CONTAINER_C=${CONTAINER_C:0:12}
  EXTRA_CONTAINERS="$EXTRA_CONTAINERS $CONTAINER_C"
  if wait_healthy_port "$PORT_C" "$CONTAINER_C" \
    && created=$(cd "$REPO_ROOT" && timeout 60 node --no-warnings scripts/docker-smoke-client.mjs "http://127.0.0.1:$PORT_C" persisted-create 2>&1) \
    && [[ -s "$HOST_DATA/kmslite-state.json" ]]; then
    kms_check data_bind_user_single_region single-region "http://127.0.0.1:$PORT_C"
  else
    fail data_bind_user_single_region "set-up failed: ${created:-no key created} (state file: $(ls "$HOST_DATA" 2>&1 | tr '\n' ' '))"
  fi
  [[ "${RESULT[data_bind_user_single_region]}" == PASS ]] || "$DOCKER" logs --tail 20 "$CONTAINER_C" 2>&1 | sed 's/^/    /'
  timeout 30 "$DOCKER" rm -f "$CONTAINER_C" >/dev/null 2>&1
else
  show_tail "$LOGS/run-c.log"
  fail data_bind_user_single_region 'docker run --user failed'
fi

# d) local-kms's own data directory (LevelDB files) mounted at /data: refused, files untouched.
LEVELDB_DIR="$WORK/local-kms-data"
mkdir -p "$LEVELDB_DIR"
printf 'MANIFEST-000002\n' >"$LEVELDB_DIR/CURRENT"
: >"$LEVELDB_DIR/LOCK"
printf 'leveldb' >"$LEVELDB_DIR/MANIFEST-000002"
printf 'table' >"$LEVELDB_DIR/000003.ldb"
chmod 0755 "$LEVELDB_DIR" && chmod 0644 "$LEVELDB_DIR"/*
leveldb_before=$(cd "$LEVELDB_DIR" && ls -l --time-style=+%s . | md5sum)
if CONTAINER_D=$(timeout 60 "$DOCKER" run -d --name "$CONTAINER_NAME-leveldb" -v "$LEVELDB_DIR:/data" "$IMAGE" 2>"$LOGS/run-d.log"); then
  CONTAINER_D=${CONTAINER_D:0:12}
  EXTRA_CONTAINERS="$EXTRA_CONTAINERS $CONTAINER_D"
  code=$(wait_exited "$CONTAINER_D")
  "$DOCKER" logs "$CONTAINER_D" >"$LOGS/container-d.log" 2>&1
  leveldb_after=$(cd "$LEVELDB_DIR" && ls -l --time-style=+%s . | md5sum)
  if [[ "$code" == 1 ]] && grep -q "kmslite cannot read local-kms's database" "$LOGS/container-d.log" && [[ "$leveldb_before" == "$leveldb_after" ]]; then
    pass data_leveldb_refused "exit code 1: kmslite cannot read local-kms's database; files untouched"
  else
    fail data_leveldb_refused "exit: $code"
    show_tail "$LOGS/container-d.log" 10
  fi
  timeout 30 "$DOCKER" rm -f "$CONTAINER_D" >/dev/null 2>&1
else
  show_tail "$LOGS/run-d.log"
  fail data_leveldb_refused 'docker run failed'
fi

# ---- 13. the Testcontainers recipe (docs/testing.md) against this image --------------------------------------
# Its own project: testcontainers and the SDK from the registry (host npm, cache preferred). Ryuk (Testcontainers'
# clean-up container) is an image this machine cannot pull: disabled here; the recipe stops its container itself.
step_start=$(date +%s)
cp -r "$REPO_ROOT/test/recipes/testcontainers" "$WORK/testcontainers"
if (cd "$WORK/testcontainers" && timeout 600 npm install --no-audit --no-fund --prefer-offline --loglevel=error) >"$LOGS/testcontainers-install.log" 2>&1; then
  if (cd "$WORK/testcontainers" && KMSLITE_IMAGE="$IMAGE" TESTCONTAINERS_RYUK_DISABLED=true timeout 180 node --no-warnings --test --test-reporter=tap kms.test.mjs) >"$LOGS/testcontainers.log" 2>&1 \
    && grep -qE '^# pass 2$' "$LOGS/testcontainers.log" && grep -qE '^# fail 0$' "$LOGS/testcontainers.log"; then
    pass testcontainers_recipe "GenericContainer($IMAGE), waited on /_kmslite/health, 2 tests passed, $(($(date +%s) - step_start)) s with the install"
  else
    show_tail "$LOGS/testcontainers.log" 40
    fail testcontainers_recipe 'node --test kms.test.mjs failed'
  fi
else
  show_tail "$LOGS/testcontainers-install.log"
  fail testcontainers_recipe 'npm install testcontainers @aws-sdk/client-kms failed'
fi

# ---- 14. the compose example is valid --------------------------------------------------------------------------
# `docker compose` (the plugin) when the client has it, else Debian's docker-compose (v1), installed here.
COMPOSE=()
if timeout 30 "$DOCKER" compose version >/dev/null 2>&1; then
  COMPOSE=("$DOCKER" compose)
elif command -v docker-compose >/dev/null 2>&1 \
  || timeout 600 apt-get install -y -qq --no-install-recommends docker-compose >>"$LOGS/apt.log" 2>&1; then
  command -v docker-compose >/dev/null 2>&1 && COMPOSE=(docker-compose)
fi
if [[ ${#COMPOSE[@]} -eq 0 ]]; then
  show_tail "$LOGS/apt.log" 10
  fail compose_config 'neither `docker compose` nor docker-compose is available'
elif config=$(timeout 60 "${COMPOSE[@]}" -f "$REPO_ROOT/examples/docker-compose.yml" config 2>&1) \
  && grep -q 'condition: service_healthy' <<<"$config"; then
  pass compose_config "${COMPOSE[*]} config: valid, app depends on kms being healthy"
else
  echo "${config:-}" | tail -n 20 | sed 's/^/    /'
  fail compose_config "${COMPOSE[*]} config rejected examples/docker-compose.yml"
fi
exit 0

# shellcheck shell=bash
# The engine on this host: install docker.io from apt, start a private dockerd (temp data/exec root and
# socket), and on exit stop it by PID and remove what it left on the host (docker0, the ip nat/filter tables it
# created, ip_forward). Uses the driver's state variables (WORK, LOGS, DOCKERD_PID, CONTAINER..., NET_CLEANUP).
# Sourced by scripts/ci-docker-smoke.sh (the driver, which runs the steps in order); defines functions only.

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

# 1. docker.io, debootstrap, nftables and iptables from apt (exits the stage when that fails).
install_engine() {
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
}

# 2. A private dockerd on a socket in the work dir (exits the stage when it does not answer).
start_dockerd() {
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
}

# shellcheck shell=bash
# Small helpers the container checks share: time, free ports, bounded waits on a container, and kms_check
# (one named check through the official SDK, scripts/docker-smoke-client.mjs).
# Sourced by scripts/ci-docker-smoke.sh (the driver, which runs the steps in order); defines functions only.

now_ms() { date +%s%3N; }
free_port() { node -e "const s=require('node:net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }

# Waits (bounded) for a container's health endpoint on a host port; fails early when the container stops.
wait_healthy_port() {
  local port=$1 container=$2 i
  for ((i = 0; i < 60; i++)); do   # 30 s at most
    if timeout 5 node -e "fetch('http://127.0.0.1:$port/_kmslite/health',{signal:AbortSignal.timeout(2000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"; then return 0; fi
    [[ "$("$DOCKER" inspect -f '{{.State.Status}}' "$container" 2>/dev/null)" == running ]] || return 1
    sleep 0.5
  done
  return 1
}

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

# Runs one check of scripts/docker-smoke-client.mjs against an endpoint (default: the first container's).
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

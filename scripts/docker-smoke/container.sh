# shellcheck shell=bash
# The image run as users run it: `docker run -d -p 127.0.0.1:<free port>:8080`, the HEALTHCHECK, KMS through the
# official SDK, `docker stop -t 10` (SIGTERM to node as PID 1) and the container log.
# Sourced by scripts/ci-docker-smoke.sh (the driver, which runs the steps in order); defines functions only.

# 6. docker run -d on a free loopback port (exits the stage when it fails).
start_container() {
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
}

# 6. The HEALTHCHECK says healthy and the host reaches /_kmslite/health.
check_container_healthy() {
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
}

# 7. ListAliases, Encrypt+Decrypt, CreateKey+DescribeKey through the official SDK.
check_kms() {
  kms_check kms_list_aliases list-aliases
  kms_check kms_encrypt_decrypt encrypt-decrypt
  kms_check kms_create_describe create-describe
}

# 8. docker stop -t 10: exit code 0, and quickly.
check_stop() {
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
}

# 9. The container log holds the listening line, request lines and the SIGTERM stopping line.
check_container_log() {
  "$DOCKER" logs "$CONTAINER" >"$LOGS/container.log" 2>&1
  requests=$(grep -c '"msg":"request"' "$LOGS/container.log")
  if [[ $requests -ge 5 ]] && grep -q '"msg":"kmslite listening"' "$LOGS/container.log" \
    && grep -q '"signal":"SIGTERM".*"msg":"kmslite stopping"\|"msg":"kmslite stopping".*"signal":"SIGTERM"' "$LOGS/container.log"; then
    pass logs_request_lines "$requests request lines, listening and SIGTERM stopping lines"
  else
    fail logs_request_lines "$requests request lines (need >= 5) or no listening/stopping line"
    show_tail "$LOGS/container.log" 20
  fi
}

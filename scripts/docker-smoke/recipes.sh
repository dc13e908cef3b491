# shellcheck shell=bash
# What the docs build on the image: the Testcontainers recipe (test/recipes/testcontainers, docs/testing.md)
# run against it, and the compose example (examples/docker-compose.yml) accepted by `docker compose config`.
# Sourced by scripts/ci-docker-smoke.sh (the driver, which runs the steps in order); defines functions only.

# 13. the Testcontainers recipe (docs/testing.md) against this image
# Its own project: testcontainers and the SDK from the registry (host npm, cache preferred). Ryuk (Testcontainers'
# clean-up container) is an image this machine cannot pull: disabled here; the recipe stops its container itself.
check_testcontainers_recipe() {
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
}

# 14. the compose example is valid
# `docker compose` (the plugin) when the client has it, else Debian's docker-compose (v1), installed here.
check_compose_config() {
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
}

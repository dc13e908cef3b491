# shellcheck shell=bash
# Seeds and state in containers: a seed mounted at /init/seed.yaml with settings from the environment
# (docs/docker.md), state in a volume surviving SIGKILL and a restart (docs/persistence.md), and local-kms's
# documented /data mount (docs/migrating.md, docs/docker.md "Keeping state").
# Sourced by scripts/ci-docker-smoke.sh (the driver, which runs the steps in order); defines functions only.

# 10. a seed mounted at /init/seed.yaml, settings from the environment (docs/docker.md)
check_mounted_seed() {
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
}

# 11. state in a volume (KMS_DATA_PATH=/data) survives SIGKILL and a restart (docs/persistence.md)
check_data_volume() {
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
}

# 12. local-kms's `-v ./data:/data` (docs/migrating.md, docs/docker.md "Keeping state"), four ways:
# 12a. A named volume at /data and no KMS_DATA_PATH: the image keeps state there by itself (KMSLITE_DATA_PATH_IF_MOUNTED).
check_data_mount_auto() {
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
      # The log is read whole first: with pipefail, `docker logs | grep -q` fails when grep stops at the first line and
      # docker logs, still writing, gets SIGPIPE (it did once, with the line in the log).
      logs_a=$("$DOCKER" logs "$CONTAINER_A" 2>&1)
      if grep -q 'state kept in the mounted volume' <<<"$logs_a"; then
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
}

# 12b. A host directory the image's user (uid 1000) cannot write, as `-v ./data:/data` usually is: exit 1 and what to do.
check_data_bind_not_writable() {
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
}

# 12c. The same directory with --user "$(id -u):$(id -g)" (the message's advice) and KMSLITE_SINGLE_REGION=true.
check_data_bind_user_single_region() {
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
}

# 12d. local-kms's own data directory (LevelDB files) mounted at /data: refused, files untouched.
check_data_leveldb_refused() {
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
}

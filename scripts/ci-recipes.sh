#!/usr/bin/env bash
# Recipes stage of CI: the Jest and Vitest set-ups of docs/testing.md (test/recipes/), run in a project of their
# own against kmslite's packed tarball, as a user would have them.
#
#   bash scripts/ci-recipes.sh [kmslite-x.y.z.tgz]
#
# The tarball is the argument, else KMSLITE_PACKED_TARBALL (.ci/run's `npm pack`), else `npm pack
# --ignore-scripts` of this checkout (dist/ must be built). test/recipes/ is copied to a temp directory,
# `npm install <tarball>` installs kmslite and the recipes' own dev dependencies (jest, vitest, vite, the SDK)
# from the registry, preferring the npm cache; then each recipe runs.
#
# Then `git_install`: kmslite installed from git (`npm install git+file://<this checkout>#<HEAD commit>`: npm clones
# it, installs its devDependencies, runs its prepare script, packs and installs it) into an empty project; its
# `npx kmslite --version` and `require('kmslite')` must work. Skipped outside a git checkout. Uncommitted changes
# are not in it (a clean CI clone has none).
#
# Prints one line per check (`PASS name`, `FAIL name (why)`, `SKIP name (why)`) and, last,
# `RECIPES passed=N failed=N skipped=N`. Exit 0 when nothing failed. All commands are time-bounded.
set -uo pipefail

cd "$(dirname "$0")/.."
REPO_ROOT=$(pwd)
CHECKS=(recipes_install jest_recipe vitest_recipe git_install)
declare -A RESULT=()
STAGE_START=$(date +%s)

pass() { RESULT[$1]=PASS; echo "PASS $1${2:+ ($2)}"; }
skip() { RESULT[$1]=SKIP; echo "SKIP $1${2:+ ($2)}"; }
fail() { RESULT[$1]=FAIL; echo "FAIL $1${2:+ ($2)}"; }
WORK=$(mktemp -d /tmp/kmslite-recipes.XXXXXX)

finish() {
  local passed=0 failed=0 skipped=0 check
  for check in "${CHECKS[@]}"; do
    case "${RESULT[$check]:-}" in
      PASS) passed=$((passed + 1)) ;;
      FAIL) failed=$((failed + 1)) ;;
      SKIP) skipped=$((skipped + 1)) ;;
      *) skipped=$((skipped + 1)); echo "SKIP $check (not run: an earlier step failed)" ;;
    esac
  done
  rm -rf "$WORK"
  echo "recipes: stage took $(($(date +%s) - STAGE_START)) s"
  echo "RECIPES passed=$passed failed=$failed skipped=$skipped"
  [[ $failed -eq 0 ]]
}
trap 'finish; exit $?' EXIT

tarball=${1:-${KMSLITE_PACKED_TARBALL:-}}
if [[ -z "$tarball" ]]; then
  tarball="$WORK/$(npm pack --ignore-scripts --silent --pack-destination "$WORK" | tail -n 1)"
fi
tarball=$(readlink -f "$tarball")

cp -r "$REPO_ROOT/test/recipes/package.json" "$REPO_ROOT/test/recipes/jest" "$REPO_ROOT/test/recipes/vitest" "$WORK/"
step_start=$(date +%s)
if (cd "$WORK" && timeout 600 npm install --no-audit --no-fund --prefer-offline --loglevel=error "$tarball") >"$WORK/install.log" 2>&1; then
  pass recipes_install "$(basename "$tarball") + jest, vitest, @aws-sdk/client-kms in $(($(date +%s) - step_start)) s"
else
  tail -n 30 "$WORK/install.log" | sed 's/^/    /'
  fail recipes_install 'npm install failed'
  exit 1
fi

# Each recipe: exit 0 and its own summary saying 2 tests passed.
run_recipe() {
  local name=$1 summary=$2
  shift 2
  local output status
  output=$(cd "$WORK" && CI=true NO_COLOR=1 timeout 180 "$@" 2>&1)
  status=$?
  output=$(sed 's/\x1b\[[0-9;]*m//g' <<<"$output")
  if [[ $status -eq 0 ]] && grep -qE "$summary" <<<"$output"; then
    pass "$name" "$(grep -E "$summary" <<<"$output" | head -n 1 | sed 's/^ *//')"
  else
    sed 's/^/    /' <<<"$output" | tail -n 40
    fail "$name" "exit $status"
  fi
}
run_recipe jest_recipe '^Tests: +2 passed, 2 total' node_modules/.bin/jest --config jest/jest.config.js
run_recipe vitest_recipe 'Tests +2 passed \(2\)' node_modules/.bin/vitest run --config vitest/vitest.config.mjs

# ---- kmslite from git ----------------------------------------------------------------------------------------
if ! commit=$(git -C "$REPO_ROOT" rev-parse HEAD 2>/dev/null); then
  skip git_install 'not a git checkout'
  exit 0
fi
step_start=$(date +%s)
version=$(node -p "require('$REPO_ROOT/package.json').version")
mkdir -p "$WORK/from-git"
echo '{ "name": "from-git", "version": "9.9.9", "private": true }' >"$WORK/from-git/package.json"
if (cd "$WORK/from-git" && timeout 900 npm install --no-audit --no-fund --prefer-offline --loglevel=error "git+file://$REPO_ROOT#$commit") >"$WORK/git-install.log" 2>&1 \
  && printed=$(cd "$WORK/from-git" && timeout 60 npx --no-install kmslite --version 2>&1) && [[ "$printed" == "$version" ]] \
  && (cd "$WORK/from-git" && timeout 60 node -e "if (typeof require('kmslite').startKmslite !== 'function') process.exit(1)") 2>>"$WORK/git-install.log"; then
  pass git_install "npm install git+file://…#${commit:0:12}: built by its prepare script, kmslite --version $printed, require works, $(($(date +%s) - step_start)) s"
else
  tail -n 30 "$WORK/git-install.log" | sed 's/^/    /'
  fail git_install "install from git failed, or kmslite --version printed '${printed:-nothing}' (expected $version)"
fi
exit 0

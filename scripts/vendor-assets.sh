#!/usr/bin/env bash
# Copies the console's front-end assets from pinned npm packages into src/ChatBot.Host/wwwroot/lib/<package>/,
# with their licence files. The copied files are committed: the host needs no Node, no npm and no CDN at run time
# (intranet deployments have no internet). Re-run after changing a version below, then commit wwwroot/lib.
set -euo pipefail

BOOTSTRAP_VERSION=5.3.8
HTMX_VERSION=2.0.8
ECHARTS_VERSION=5.6.0

repo="$(cd "$(dirname "$0")/.." && pwd)"
lib="$repo/src/ChatBot.Host/wwwroot/lib"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
npm init -y >/dev/null
npm install --no-audit --no-fund --ignore-scripts --save-exact \
  "bootstrap@$BOOTSTRAP_VERSION" "htmx.org@$HTMX_VERSION" "echarts@$ECHARTS_VERSION" >/dev/null

copy() { # copy <package> <dest-name> <files relative to the package...>
  local package="$1" dest="$lib/$2"; shift 2
  rm -rf "$dest"; mkdir -p "$dest"
  for f in "$@"; do
    mkdir -p "$dest/$(dirname "$f")"
    cp "node_modules/$package/$f" "$dest/$f"
  done
  for licence in LICENSE LICENSE.md LICENSE.txt NOTICE; do
    [ -f "node_modules/$package/$licence" ] && cp "node_modules/$package/$licence" "$dest/"
  done
  node -e "const p=require('./node_modules/$package/package.json');console.log(p.name+' '+p.version+' ('+p.license+')')" > "$dest/VERSION"
}

copy bootstrap bootstrap dist/css/bootstrap.min.css dist/js/bootstrap.bundle.min.js
copy htmx.org htmx dist/htmx.min.js
copy echarts echarts dist/echarts.min.js

echo "Vendored into $lib:"; cat "$lib"/*/VERSION

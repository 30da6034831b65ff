#!/usr/bin/env bash
# Provisions a real VS Code for the end-to-end tests: code-server 4.100.3 (VS Code 1.100.3's
# workbench and Node extension host, the newest that runs on Node 20) under .e2e/code-server,
# plus Debian's Chromium for Playwright. Idempotent: a provisioned machine returns in a second.
# Why the manual steps: code-server's postinstall downloads ripgrep from the network (not
# reachable here), so install scripts are skipped, ripgrep comes from Debian, and the native
# modules (argon2, node-pty, spdlog, kerberos) are built explicitly.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${CODE_SERVER_DIR:-$ROOT/.e2e/code-server}"
VERSION="4.100.3"
VSCODE="$DIR/node_modules/code-server/lib/vscode"
STAMP="$DIR/.provisioned-$VERSION"

log() { printf '[provision] %s\n' "$*"; }

apt_packages=(libkrb5-dev ripgrep chromium)
missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if ((${#missing[@]} > 0)); then
  log "installing apt packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

native_files=(
  "$VSCODE/node_modules/node-pty/build/Release/pty.node"
  "$VSCODE/node_modules/@vscode/spdlog/build/Release/spdlog.node"
)

verify() {
  local ok=0
  for f in "${native_files[@]}"; do
    [[ -f "$f" ]] || { log "missing native module: $f"; ok=1; }
  done
  ls "$DIR"/node_modules/argon2/lib/binding/*/argon2.node >/dev/null 2>&1 \
    || ls "$DIR"/node_modules/argon2/build/Release/argon2.node >/dev/null 2>&1 \
    || { log "missing native module: argon2"; ok=1; }
  [[ -x "$VSCODE/node_modules/@vscode/ripgrep/bin/rg" ]] || { log "missing ripgrep in code-server"; ok=1; }
  return $ok
}

if [[ -f "$STAMP" ]] && verify; then
  log "already provisioned"
else
  log "installing code-server@$VERSION into $DIR (a few minutes the first time)"
  mkdir -p "$DIR"
  cd "$DIR"
  [[ -f package.json ]] || npm init -y >/dev/null
  npm install --no-audit --no-fund --ignore-scripts "code-server@$VERSION" >/dev/null
  (cd node_modules/argon2 && npx --no-install node-pre-gyp rebuild >/dev/null 2>&1)
  cd "$VSCODE"
  npm install --no-audit --no-fund --omit=dev --ignore-scripts >/dev/null
  mkdir -p node_modules/@vscode/ripgrep/bin
  cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
  # node-pty's last post-install step wants npx from the network and fails after its native
  # build is done; verify() below checks the .node files instead of trusting the exit code.
  npm rebuild >/dev/null 2>&1 || true
  ln -sfn node_modules node_modules.asar
  (cd extensions && npm install --no-audit --no-fund --omit=dev --ignore-scripts >/dev/null)
  verify || { log "provisioning failed: native modules missing"; exit 1; }
  touch "$STAMP"
  log "provisioned"
fi

log "code-server: $DIR/node_modules/code-server/out/node/entry.js"
log "chromium:    $(command -v chromium)"
log "ripgrep:     $(command -v rg)"

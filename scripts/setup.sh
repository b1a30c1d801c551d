#!/usr/bin/env bash
# Installs what the playground needs to build and test, from the package
# registries only. Every step is skipped when it is already satisfied, so a
# second run on a ready machine takes seconds. Source it to get PATH set.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() { printf '\n== %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if [ ! -x /usr/bin/chromedriver ] || [ ! -x /usr/bin/chromium ]; then
  step "Installing Debian's chromium and chromium-driver"
  as_root apt-get update -qq
  as_root apt-get install -y -qq --no-install-recommends chromium chromium-driver
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "Adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
for component in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^$component"; then
    rustup component add "$component"
  fi
done

# trunk 0.22 needs a newer rustc than this machine has.
if ! trunk --version 2>/dev/null | grep -q ' 0\.21\.'; then
  step "Installing trunk 0.21 (takes 10-15 minutes once)"
  cargo install trunk --version '^0.21' --locked
fi

# The CLI must equal the wasm-bindgen crate in Cargo.lock, to the patch.
bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$bindgen_version" ]; then
  step "Installing wasm-bindgen-cli $bindgen_version (takes 4-8 minutes once)"
  # --locked fails here: its lockfile names a crate the registry mirror lacks.
  cargo install wasm-bindgen-cli --version "$bindgen_version"
fi

# npm ci only when node_modules was not installed from this very lockfile.
stamp=node_modules/.installed-from-lock
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  step "Installing npm packages from package-lock.json"
  npm ci --no-audit --no-fund
  cp package-lock.json "$stamp"
fi

# wasm-opt from npm's binaryen (Debian's is too old and breaks the page).
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

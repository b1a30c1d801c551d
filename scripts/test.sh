#!/usr/bin/env bash
# Runs every test layer: formatting and lints (native and wasm32), native
# unit and fixture tests, browser unit tests in headless Chromium, the
# release build with its size, and end-to-end tests driving Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

step "Formatting"
cargo fmt --all -- --check

step "Clippy (native and wasm32)"
cargo clippy --all-targets --locked -- -D warnings
cargo clippy --all-targets --locked --target wasm32-unknown-unknown -- -D warnings

step "Native tests (protocol core and fixtures)"
cargo test --locked

step "Browser unit tests (wasm-bindgen-test in headless Chromium)"
CHROMEDRIVER=/usr/bin/chromedriver cargo test --locked --target wasm32-unknown-unknown --test browser

step "Release build"
trunk build --release
scripts/size.sh

step "End-to-end tests (headless Chromium; screenshots in screenshots/)"
npm run --silent e2e

#!/usr/bin/env bash
# The performance figures reported in README.md: bundle size, load time,
# signing speed per method and one complete mock OAuth 2.0 flow.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

step "Bundle size (release build)"
trunk build --release
scripts/size.sh

step "Load time"
node scripts/bench-load.mjs 10

step "Signing and mock flow (criterion)"
cargo bench --bench signing --bench mock_flow -- --warm-up-time 1 --measurement-time 3

#!/usr/bin/env bash
# Builds the playground and serves it on http://127.0.0.1:8080 (mock mode).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

echo "Serving on http://127.0.0.1:8080/ (Ctrl-C to stop)"
exec trunk serve --release
